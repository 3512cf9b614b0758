"""A synthetic three-year supervision record for Alxa (2018–2020), for demonstration.

Every person, office reply, finding and figure here is made up; every record is marked
``synthetic``. The shape follows the 2021 account of the People's Congress working
committee (seed 000): some thirty research visits and five inspections, about a thousand
person-times; twenty-odd review opinions from the league committee and the banners'
standing committees; the special inquiry of 2018-09-20 with 7 askers on 11 topics;
deputies' suggestions answered face to face and in writing. The names of real people in
that account are not used.

``load_supervision_demo(seed=...)`` goes through the services as the console operator, so
the audit log records it like any other write. It needs the Alxa area tree, and loads
nothing when synthetic supervision records are already there.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.supervision import services
from tuopin.supervision.choices import (
    AssessedKind,
    CriterionKind,
    DeputyLevel,
    Finding,
    ReplyMode,
    Satisfaction,
    VisitKind,
)
from tuopin.supervision.models import Deputy, Office, Suggestion

ALXA = "152900000000"
BANNERS = {"152921000000": "阿拉善左旗", "152922000000": "阿拉善右旗", "152923000000": "额济纳旗"}
D = datetime.date

# A minimal PDF standing in for a scanned proof of rectification.
_PDF = b"%PDF-1.4\n% synthetic demonstration evidence\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

_LEAGUE_OFFICES = [
    "阿拉善盟扶贫开发办公室",
    "阿拉善盟卫生健康委员会",
    "阿拉善盟教育局",
    "阿拉善盟民政局",
    "阿拉善盟农牧局",
    "阿拉善盟财政局",
    "阿拉善盟人力资源和社会保障局",
    "阿拉善盟水务局",
    "阿拉善盟医疗保障局",
]
_BANNER_OFFICES = ["扶贫开发办公室", "卫生健康委员会", "教育局", "民政局", "农牧局", "水务局"]

# Invented names in the Mongolian and Han naming of the area.
_COMMITTEE = ["额尔敦巴雅尔", "萨仁高娃", "王建军", "朝鲁门", "李慧敏", "阿拉坦仓", "孟和吉雅"]
_DEPUTIES = [
    "乌云其其格",
    "苏和巴特尔",
    "那仁格日勒",
    "宝音德力格尔",
    "张志强",
    "托娅",
    "呼和",
    "斯琴图雅",
    "刘振华",
    "图门吉日嘎拉",
    "高娃",
    "陈立新",
    "巴图孟和",
    "其木格",
    "赵永胜",
    "敖登",
    "吉日木图",
    "马玉兰",
]

# The five topics named in the seed first, then six more of the same period.
_INQUIRY_TOPICS = [
    ("建立贫困户常态化管理长效机制", 0),
    ("因病致贫返贫问题的防范", 1),
    ("因学致贫问题与教育资助落实", 2),
    ("创新产业扶贫模式、健全带贫机制", 4),
    ("农村牧区低保政策与扶贫政策衔接", 3),
    ("牧区安全饮水工程建设与管护", 7),
    ("易地扶贫搬迁后续扶持", 0),
    ("扶贫资金使用监管与项目资产管理", 5),
    ("驻村工作队和第一书记管理", 0),
    ("贫困嘎查村集体经济发展", 4),
    ("稳岗就业与劳动力转移", 6),
]

_VISIT_TOPICS = [
    "牧民安全饮水问题",
    "产业扶贫与骆驼产业发展",
    "易地扶贫搬迁安置点入住和后续扶持",
    "健康扶贫政策落实",
    "教育扶贫与控辍保学",
    "嘎查村集体经济清零递增",
    "农村牧区危房改造",
    "生态扶贫与草原生态补奖",
    "稳岗就业与技能培训",
    "扶贫项目资产管理",
    "兜底保障政策落实",
    "驻村工作队帮扶成效",
    "代表建议办理情况",
    "“两不愁三保障”突出问题整改",
]

_FINDINGS = [
    "部分偏远牧户饮水工程缺少日常管护，冬季供水不稳定。",
    "产业项目带贫机制不够紧密，分红到户不及时。",
    "搬迁户后续就业渠道较窄，需加强技能培训。",
    "慢病签约服务覆盖面有待提高。",
    "个别嘎查集体经济收入来源单一。",
    "帮扶责任人走访记录不够规范。",
]

_OPINION_TOPICS = [
    (
        "脱贫攻坚工作情况的报告",
        [
            "贫困户动态管理不够精准，信息更新滞后",
            "产业扶贫项目带贫益贫效果不明显",
            "健康扶贫政策宣传不到位",
            "扶贫资金拨付进度偏慢",
        ],
    ),
    ("产业扶贫工作情况的报告", ["合作社与贫困户利益联结机制不健全", "特色产业品牌建设滞后"]),
    ("健康扶贫工作情况的报告", ["嘎查村卫生室设备配备不足", "大病专项救治覆盖不全"]),
    ("教育扶贫工作情况的报告", ["寄宿生生活补助发放不及时", "控辍保学劝返记录不完整"]),
    ("易地扶贫搬迁工作情况的报告", ["安置点配套设施不完善", "后续扶持措施不够具体"]),
    ("扶贫资金和项目管理情况的报告", ["项目资产确权登记滞后", "部分项目公示不规范"]),
    ("整改意见落实情况的报告", ["整改台账销号佐证不充分", "长效机制建设有待加强"]),
]

_SUGGESTIONS = [
    "关于加强牧区饮水工程管护的建议",
    "关于扶持骆驼产业合作社发展的建议",
    "关于提高边境牧区慢病报销比例的建议",
    "关于完善易地扶贫搬迁后续扶持的建议",
    "关于增加苏木镇卫生院医生编制的建议",
    "关于解决牧区学生寄宿难的建议",
    "关于规范扶贫项目资产管理的建议",
    "关于加大稳岗就业补贴力度的建议",
    "关于推广“养殖+牧家游”模式的建议",
    "关于加强沙产业扶贫的建议",
    "关于提高嘎查村集体经济收入的建议",
    "关于完善防返贫监测预警机制的建议",
    "关于改善边远嘎查通信条件的建议",
    "关于加强驻村工作队培训的建议",
    "关于落实草原生态补奖资金的建议",
]

_CLUE_SUMMARIES = [
    "反映某嘎查低保评定中存在优亲厚友问题",
    "反映扶贫项目资金拨付中存在截留问题",
    "反映帮扶责任人走访不实、填表应付",
    "反映易地搬迁补助发放不及时",
    "反映合作社虚报带贫户数",
    "反映驻村干部长期不在岗",
    "反映危房改造补助冒领",
    "反映产业分红未按约定发放",
]


def _areas_by_level(level: str, under: Area) -> list[Area]:
    return list(
        Area.objects.filter(
            level=level, lft__gte=under.lft, lft__lte=under.rgt, is_active=True
        ).order_by("lft")
    )


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


@transaction.atomic
def load_supervision_demo(*, seed: int) -> dict[str, int]:
    """Load the synthetic record; returns what it created (empty when already loaded)."""
    if Suggestion.objects.filter(synthetic=True).exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrecy)
    alxa = Area.objects.get(code=ALXA)
    banners = {code: Area.objects.get(code=code) for code in BANNERS}
    towns = _areas_by_level(Level.SUMU_TOWN, alxa)

    league_offices = [
        services.office_create(actor=None, name=name, area=alxa, synthetic=True)
        for name in _LEAGUE_OFFICES
    ]
    banner_offices = {
        code: [
            services.office_create(
                actor=None, name=f"{BANNERS[code]}{name}", area=area, synthetic=True
            )
            for name in _BANNER_OFFICES
        ]
        for code, area in banners.items()
    }
    committee = [
        services.deputy_create(
            actor=None,
            name=name,
            level=DeputyLevel.COMMITTEE if n < 4 else DeputyLevel.REGION,
            area=alxa,
            synthetic=True,
        )
        for n, name in enumerate(_COMMITTEE)
    ]
    deputies = [
        services.deputy_create(
            actor=None,
            name=name,
            level=DeputyLevel.BANNER if n % 3 else DeputyLevel.SUMU_TOWN,
            area=towns[rng.randrange(len(towns))] if n % 3 == 0 else list(banners.values())[n % 3],
            synthetic=True,
        )
        for n, name in enumerate(_DEPUTIES)
    ]
    everyone = committee + deputies

    counts = {
        "offices": len(league_offices) + sum(len(v) for v in banner_offices.values()),
        "deputies": len(everyone),
    }
    counts["visits"], counts["person_times"] = _visits(rng, alxa, banners, towns, everyone)
    counts["inquiry_questions"] = _inquiry(rng, alxa, committee, league_offices)
    counts["opinions"] = _opinions(rng, alxa, banners, league_offices, banner_offices)
    counts["suggestions"] = _suggestions(
        rng, deputies + committee[4:], league_offices, banner_offices
    )
    counts["clues"] = _clues(rng, alxa, banners, towns)
    counts["assessed"] = _assessment(rng, banners["152922000000"])
    return counts


def _visits(
    rng: random.Random,
    alxa: Area,
    banners: dict[str, Area],
    towns: list[Area],
    people: list[Deputy],
) -> tuple[int, int]:
    """32 research visits and 5 inspections, 1000-odd person-times in all."""
    plan = [VisitKind.RESEARCH] * 32 + [VisitKind.INSPECTION] * 5
    sizes = [rng.randint(15, 40) for _ in plan]
    target = 1000 + rng.randint(20, 90)
    # Scale to the target, then put the rounding difference on the largest visit.
    sizes = [max(8, round(s * target / sum(sizes))) for s in sizes]
    sizes[sizes.index(max(sizes))] += target - sum(sizes)
    total = 0
    for n, (kind, size) in enumerate(zip(plan, sizes, strict=True)):
        year = 2018 + n % 3
        if kind == VisitKind.INSPECTION:
            # The league committee's inspections go down to the sumu/towns.
            where, organiser = towns[rng.randrange(len(towns))], "人大阿拉善盟工委"
        elif n % 4 == 0:
            where, organiser = alxa, "人大阿拉善盟工委"
        else:
            where = list(banners.values())[n % 3]
            organiser = f"{BANNERS[where.code]}人大常委会"
            if n % 2:
                where = rng.choice([t for t in towns if t.parent_id == where.pk] or [where])
        topic = _VISIT_TOPICS[n % len(_VISIT_TOPICS)]
        label = "脱贫攻坚专项视察" if kind == VisitKind.INSPECTION else "扶贫调研"
        services.visit_record(
            actor=None,
            kind=kind,
            held_on=_day(rng, D(year, 3, 1), D(year, 11, 30)),
            area=where,
            topic=f"{label}：{topic}",
            organiser=organiser,
            participants=size,
            deputies=rng.sample(people, k=min(len(people), rng.randint(2, 6))),
            findings=rng.choice(_FINDINGS),
            synthetic=True,
        )
        total += size
    return len(plan), total


def _inquiry(rng: random.Random, alxa: Area, askers: list[Deputy], offices: list[Office]) -> int:
    """The first special inquiry on poverty, 2018-09-20: 7 askers, 11 topics."""
    session = services.inquiry_create(
        actor=None,
        area=alxa,
        held_on=D(2018, 9, 20),
        meeting="内蒙古自治区人大常委会阿拉善盟工作委员会第二次会议",
        subject="结合听取脱贫攻坚工作报告开展专题询问",
        synthetic=True,
    )
    for n, (topic, office_index) in enumerate(_INQUIRY_TOPICS):
        office = offices[office_index]
        question = services.question_add(
            actor=None,
            session=session,
            # Seven askers for eleven questions: the first four ask twice.
            asker=askers[n % len(askers)],
            topic=topic,
            office=office,
            official=f"{office.name.removeprefix('阿拉善盟')}主要负责人",
            answer="（合成示例）介绍了现有做法和存在的不足，提出下一步改进措施。",
        )
        commitment = services.commitment_add(
            actor=None,
            question=question,
            text=f"针对“{topic}”制定整改措施并书面报告落实情况",
            due_on=D(2018, 12, 31) if n % 2 else D(2019, 6, 30),
        )
        if n != 10:
            services.commitment_done(
                actor=None,
                commitment=commitment,
                done_on=commitment.due_on - datetime.timedelta(days=rng.randint(3, 40)),
            )
    return len(_INQUIRY_TOPICS)


def _opinions(
    rng: random.Random,
    alxa: Area,
    banners: dict[str, Area],
    league_offices: list[Office],
    banner_offices: dict[str, list[Office]],
) -> int:
    """The league committee once a year and each banner twice a year: 21 opinions."""
    hearings: list[tuple[Area, list[Office], datetime.date, int]] = []
    for year in (2018, 2019, 2020):
        hearings.append((alxa, league_offices, D(year, 9, 20), 0))
        for n, (code, area) in enumerate(banners.items()):
            hearings.append((area, banner_offices[code], D(year, 6, 10 + n), 1 + (year + n) % 5))
            hearings.append((area, banner_offices[code], D(year, 11, 5 + n), 6))
    for area, offices, heard_on, topic_index in hearings:
        report, issues = _OPINION_TOPICS[topic_index]
        place = "全盟" if area.code == ALXA else BANNERS[area.code]
        opinion = services.opinion_create(
            actor=None,
            area=area,
            title=f"关于{place}{report.removesuffix('的报告')}报告的审议意见",
            report_title=f"关于{place}{report}",
            heard_on=heard_on,
            body="（合成示例）常委会组成人员在审议中肯定了成绩，指出了以下问题，请研究处理。",
            items=[
                services.ItemInput(
                    text=text,
                    area=area,
                    office=offices[rng.randrange(len(offices))],
                    due_on=heard_on + datetime.timedelta(days=rng.choice([90, 120, 180])),
                )
                for text in issues
            ],
            synthetic=True,
        )
        if heard_on.year == 2020 and heard_on.month > 6:
            # The latest hearings are still being rectified: progress on the first item.
            item = opinion.items.first()
            assert item is not None
            services.item_report_progress(
                actor=None,
                item=item,
                text="（合成示例）已制定整改方案，正在推进。",
                reported_on=heard_on + datetime.timedelta(days=30),
            )
            continue
        for item in opinion.items.all():
            done = item.due_on - datetime.timedelta(days=rng.randint(5, 30))
            services.item_report_progress(
                actor=None, item=item, text="（合成示例）整改措施已落实。", reported_on=done
            )
            services.evidence_upload(actor=None, item=item, name="整改佐证材料.pdf", data=_PDF)
            services.item_close(
                actor=None,
                item=item,
                note="佐证材料齐全，同意销号。",
                closed_on=done + datetime.timedelta(days=3),
            )
        reported = max(i.due_on for i in opinion.items.all())
        services.opinion_report_rectification(
            actor=None,
            opinion=opinion,
            report="（合成示例）审议意见所列问题已全部整改。",
            reported_on=reported,
        )
        if rng.random() < 0.15:
            services.opinion_vote(
                actor=None,
                opinion=opinion,
                satisfaction=Satisfaction.UNSATISFIED,
                voted_on=reported + datetime.timedelta(days=20),
                note="长效机制尚未建立，需重新整改。",
            )
            reported += datetime.timedelta(days=90)
            services.opinion_report_rectification(
                actor=None,
                opinion=opinion,
                report="（合成示例）已建立长效机制。",
                reported_on=reported,
            )
        services.opinion_vote(
            actor=None,
            opinion=opinion,
            satisfaction=rng.choice([Satisfaction.SATISFIED, Satisfaction.BASICALLY]),
            voted_on=reported + datetime.timedelta(days=20),
        )
    return len(hearings)


def _suggestions(
    rng: random.Random,
    deputies: list[Deputy],
    league_offices: list[Office],
    banner_offices: dict[str, list[Office]],
) -> int:
    """Forty suggestions over three years, in every state from submitted to closed."""
    count = 40
    for n in range(count):
        deputy = deputies[n % len(deputies)]
        year = 2018 + n * 3 // count
        submitted = _day(rng, D(year, 1, 10), D(year, 3, 31))
        suggestion = services.suggestion_submit(
            actor=None,
            deputy=deputy,
            title=_SUGGESTIONS[n % len(_SUGGESTIONS)],
            content="（合成示例）建议有关部门结合实际研究解决。",
            submitted_on=submitted,
            synthetic=True,
        )
        if n == count - 1:
            continue  # still waiting to be assigned
        banner = next((code for code in banner_offices if deputy.area.code[:6] == code[:6]), None)
        offices = banner_offices[banner] if banner else league_offices
        lead, *assisting = rng.sample(offices, k=1 + rng.randint(0, 2))
        assigned = submitted + datetime.timedelta(days=rng.randint(10, 30))
        suggestion = services.suggestion_assign(
            actor=None,
            suggestion=suggestion,
            lead_office=lead,
            assisting_offices=assisting,
            assigned_on=assigned,
        )
        if n >= count - 3:
            continue  # assigned and never answered: on the overdue list
        for office in assisting:
            services.suggestion_assist_answer(
                actor=None,
                suggestion=suggestion,
                office=office,
                answer="（合成示例）协办意见已送主办单位。",
                answered_on=assigned + datetime.timedelta(days=rng.randint(10, 28)),
            )
        replied = assigned + datetime.timedelta(days=rng.randint(40, 85))
        if n % 9 == 4:
            services.suggestion_extend(
                actor=None,
                suggestion=suggestion,
                months=2,
                reason="需协调旗财政安排资金",
                extended_on=assigned + datetime.timedelta(days=80),
            )
            replied += datetime.timedelta(days=45)
        services.suggestion_reply(
            actor=None,
            suggestion=suggestion,
            reply_mode=ReplyMode.FACE_TO_FACE if n % 3 else ReplyMode.WRITTEN,
            result_class="ABCD"[min(3, int(rng.random() ** 2 * 4))],
            reply="（合成示例）已研究办理，答复如下。",
            replied_on=replied,
        )
        if n >= count - 5:
            continue  # replied, the deputy's form not back yet
        voted = replied + datetime.timedelta(days=rng.randint(7, 20))
        if n % 7 == 3:
            services.suggestion_vote(
                actor=None,
                suggestion=suggestion,
                satisfaction=Satisfaction.UNSATISFIED,
                note="措施不够具体。",
                voted_on=voted,
            )
            if n % 2:
                continue  # being handled again
            replied = voted + datetime.timedelta(days=rng.randint(30, 60))
            services.suggestion_reply(
                actor=None,
                suggestion=suggestion,
                reply_mode=ReplyMode.FACE_TO_FACE,
                result_class="A",
                reply="（合成示例）再次办理后已解决。",
                replied_on=replied,
            )
            voted = replied + datetime.timedelta(days=10)
        services.suggestion_vote(
            actor=None,
            suggestion=suggestion,
            satisfaction=Satisfaction.SATISFIED if rng.random() < 0.7 else Satisfaction.BASICALLY,
            voted_on=voted,
        )
    return count


def _clues(rng: random.Random, alxa: Area, banners: dict[str, Area], towns: list[Area]) -> int:
    """Sixteen clues through the six steps, and one re-review draw per banner."""
    sources = ["inspection", "petition", "audit", "data_comparison"]
    count = 16
    for n in range(count):
        area = towns[rng.randrange(len(towns))]
        clue = services.clue_collect(
            actor=None,
            area=area,
            source=sources[n % 4],
            summary=_CLUE_SUMMARIES[n % len(_CLUE_SUMMARIES)],
            received_on=_day(rng, D(2018, 3, 1), D(2020, 10, 31)),
            reporter_name="（合成）群众" if n % 4 == 1 else "",
            reporter_contact=f"139000000{n:02d}" if n % 4 == 1 else "",
            subject_name=f"（合成）干部{n + 1}",
            subject_post="嘎查村干部",
            synthetic=True,
        )
        if n == count - 1:
            continue
        clue = services.clue_classify(
            actor=None, clue=clue, category="corruption" if n % 3 == 0 else "work_style"
        )
        if n == count - 2:
            continue
        clue = services.clue_dispose(actor=None, clue=clue, disposal="preliminary")
        finding = Finding.SUBSTANTIATED if n % 2 == 0 else Finding.UNSUBSTANTIATED
        clue = services.clue_verify(
            actor=None,
            clue=clue,
            finding=finding,
            verified_on=clue.received_on + datetime.timedelta(days=rng.randint(20, 60)),
        )
        clue = services.clue_hold_accountable(
            actor=None,
            clue=clue,
            accountability="party"
            if finding == Finding.SUBSTANTIATED and n % 4 == 0
            else ("organisational" if finding == Finding.SUBSTANTIATED else "none"),
        )
        services.clue_apply_results(
            actor=None, clue=clue, results="（合成示例）纳入年度考核，开展以案促改。"
        )
    for n, banner in enumerate(banners.values()):
        try:
            services.review_sample_draw(actor=None, area=banner, seed=rng.randrange(10**9) + n)
        except DomainError:
            continue
    return count


def _assessment(rng: random.Random, banner: Area) -> int:
    """The right banner's 2020 assessment of its sumu/towns."""
    criteria_set = services.criteria_set_create(
        actor=None,
        name="2020年阿拉善右旗苏木镇脱贫攻坚成效考核（合成示例）",
        year=2020,
        assessed_kind=AssessedKind.SUMU_TOWN,
        area=banner,
        criteria=[
            services.CriterionInput("日常督查", Decimal("40")),
            services.CriterionInput("年度核查", Decimal("20")),
            services.CriterionInput("第三方评估", Decimal("20")),
            services.CriterionInput(
                "住房安全", Decimal("10"), CriterionKind.COMPUTED, "registry.housing_safe"
            ),
            services.CriterionInput(
                "饮水安全", Decimal("10"), CriterionKind.COMPUTED, "registry.water_safe"
            ),
        ],
        synthetic=True,
    )
    towns = _areas_by_level(Level.SUMU_TOWN, banner)
    manual = list(criteria_set.criteria.filter(kind=CriterionKind.MANUAL))
    for town in towns:
        assessee = services.assessee_add(
            actor=None, criteria_set=criteria_set, name=town.name, area=town
        )
        for criterion in manual:
            services.score_set(
                actor=None,
                assessee=assessee,
                criterion=criterion,
                value=Decimal(rng.randint(780, 990)) / 10,
            )
    services.scores_compute(actor=None, criteria_set=criteria_set)
    return len(towns)
