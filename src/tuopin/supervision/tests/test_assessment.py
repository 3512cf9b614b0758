"""Assessment: weighted criteria, hand scores, scores computed from the registry, the
extension point for metrics other apps will provide, and the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import BADANJILIN, RIGHT_BANNER, YABULAI
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.registry.models import Household, HouseholdConditions
from tuopin.supervision import selectors, services
from tuopin.supervision.choices import AssessedKind, CriterionKind
from tuopin.supervision.metrics import METRICS

EKENHUDUGE = "152922103201"


def _household(area, code, *, grade, water=True):
    household = Household.objects.create(code=code, area=area, household_type="tuopin")
    HouseholdConditions.objects.create(
        household=household,
        year=2020,
        housing_grade=grade,
        water_quantity=water,
        water_quality=True,
        water_access=True,
        water_reliability=True,
    )
    return household


@pytest.fixture
def towns(banner_officer, area):
    criteria_set = services.criteria_set_create(
        actor=banner_officer,
        name="2020年苏木镇脱贫攻坚成效考核",
        year=2020,
        assessed_kind=AssessedKind.SUMU_TOWN,
        area=area(RIGHT_BANNER),
        criteria=[
            services.CriterionInput("日常督查", Decimal("40")),
            services.CriterionInput(
                "住房安全", Decimal("30"), CriterionKind.COMPUTED, "registry.housing_safe"
            ),
            services.CriterionInput(
                "帮扶措施落实",
                Decimal("30"),
                CriterionKind.COMPUTED,
                "assistance.measures_in_place",
            ),
        ],
    )
    badanjilin = services.assessee_add(
        actor=banner_officer, criteria_set=criteria_set, name="巴丹吉林镇", area=area(BADANJILIN)
    )
    yabulai = services.assessee_add(
        actor=banner_officer, criteria_set=criteria_set, name="雅布赖镇", area=area(YABULAI)
    )
    return criteria_set, badanjilin, yabulai


def test_registry_metric_scores_housing_safety_share(towns, banner_officer, area):
    criteria_set, badanjilin, yabulai = towns
    gaqa = area(EKENHUDUGE)
    for n, grade in enumerate("AABC"):
        _household(gaqa, f"H{n}", grade=grade)
    written = services.scores_compute(actor=banner_officer, criteria_set=criteria_set)
    # Yabulai has no households: no score rather than a made-up one; the unprovided
    # assistance metric scores nothing.
    assert written == 1
    housing = criteria_set.criteria.get(name="住房安全")
    assert badanjilin.scores.get(criterion=housing).value == Decimal("75.00")
    assert not yabulai.scores.exists()


def test_unprovided_metrics_are_declared_and_compute_nothing():
    for key in (
        "monitoring.cases_on_time",
        "assistance.visits_done",
        "assistance.measures_in_place",
        "rules.no_wrongful_exits",
    ):
        assert key in METRICS
    assert METRICS["assistance.visits_done"].compute is None
    assert METRICS["registry.housing_safe"].compute is not None


def test_ranking_weights_scores_and_marks_incomplete_rows(towns, banner_officer, area):
    criteria_set, badanjilin, yabulai = towns
    supervision_criterion = criteria_set.criteria.get(name="日常督查")
    services.score_set(
        actor=banner_officer,
        assessee=badanjilin,
        criterion=supervision_criterion,
        value=Decimal("90"),
    )
    services.score_set(
        actor=banner_officer, assessee=yabulai, criterion=supervision_criterion, value=Decimal("95")
    )
    for n, grade in enumerate("AAAB"):
        _household(area(EKENHUDUGE), f"H{n}", grade=grade)
    services.scores_compute(actor=banner_officer, criteria_set=criteria_set)
    rows = selectors.assessment_results(criteria_set)
    # 巴丹吉林镇: (40×90 + 30×100 + 30×0) / 100 = 66; 雅布赖镇: 40×95 / 100 = 38.
    assert [(r.assessee.name, r.total, r.rank, r.complete) for r in rows] == [
        ("巴丹吉林镇", Decimal("66.00"), 1, False),
        ("雅布赖镇", Decimal("38.00"), 2, False),
    ]


def test_equal_totals_share_a_rank(towns, banner_officer):
    criteria_set, badanjilin, yabulai = towns
    criterion = criteria_set.criteria.get(name="日常督查")
    for assessee in (badanjilin, yabulai):
        services.score_set(
            actor=banner_officer, assessee=assessee, criterion=criterion, value=Decimal("80")
        )
    assert [r.rank for r in selectors.assessment_results(criteria_set)] == [1, 1]


def test_scores_are_refused_out_of_range_or_on_computed_criteria(towns, banner_officer):
    criteria_set, badanjilin, _ = towns
    manual = criteria_set.criteria.get(name="日常督查")
    computed = criteria_set.criteria.get(name="住房安全")
    with pytest.raises(DomainError) as exc:
        services.score_set(
            actor=banner_officer, assessee=badanjilin, criterion=manual, value=Decimal("101")
        )
    assert exc.value.field == "value"
    with pytest.raises(DomainError):
        services.score_set(
            actor=banner_officer, assessee=badanjilin, criterion=computed, value=Decimal("50")
        )


def test_unknown_metric_and_zero_weight_are_refused_by_row(banner_officer, area):
    with pytest.raises(DomainError) as exc:
        services.criteria_set_create(
            actor=banner_officer,
            name="x",
            year=2020,
            assessed_kind=AssessedKind.WORK_TEAM,
            area=area(RIGHT_BANNER),
            criteria=[
                services.CriterionInput("a", Decimal("1")),
                services.CriterionInput("b", Decimal("1"), CriterionKind.COMPUTED, "nope"),
            ],
        )
    assert exc.value.params == {"row": 2, "metric": "nope"}
    with pytest.raises(DomainError):
        services.criteria_set_create(
            actor=banner_officer,
            name="x",
            year=2020,
            assessed_kind=AssessedKind.WORK_TEAM,
            area=area(RIGHT_BANNER),
            criteria=[services.CriterionInput("a", Decimal("0"))],
        )


@pytest.mark.parametrize("persona", ["supervisor", "ejina_officer", "analyst", "gaqa_cadre"])
def test_only_assessors_of_the_area_score(request, persona, towns):
    criteria_set, badanjilin, _ = towns
    with pytest.raises(PermissionDenied):
        services.score_set(
            actor=request.getfixturevalue(persona),
            assessee=badanjilin,
            criterion=criteria_set.criteria.get(name="日常督查"),
            value=Decimal("50"),
        )


def test_result_page_is_printable_and_readable_by_the_supervisor(
    towns, client_for, supervisor, outsider
):
    criteria_set, *_ = towns
    url = reverse("supervision:assessment", args=[criteria_set.pk])
    page = client_for(supervisor).get(url + "?print=1").content.decode()
    assert "巴丹吉林镇" in page
    assert page.count("待接入帮扶数据") == 1
    assert "待接入建档立卡数据" not in page
    assert 'id="compute"' not in page
    assert client_for(outsider).get(url).status_code == 404


def test_assessee_outside_the_assessing_area_is_refused(towns, banner_officer, area):
    criteria_set, *_ = towns
    with pytest.raises(DomainError):
        services.assessee_add(
            actor=banner_officer,
            criteria_set=criteria_set,
            name="额济纳",
            area=area("152923000000"),
        )
