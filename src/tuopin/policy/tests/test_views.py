from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import ALXA, RIGHT_BANNER
from tuopin.core.models import AuditEntry
from tuopin.policy.choices import PackStatus, PolicyKey, ScopeLevel
from tuopin.policy.models import PolicyPack, PolicyValue
from tuopin.policy.services import (
    load_default_policy,
    pack_create,
    pack_draft_from,
    pack_publish,
    pack_set_value,
)

THRESHOLD = PolicyKey.MONITORING_THRESHOLD.value
NOTICE = "阿拉善盟乡村振兴局通知"


@pytest.fixture
def default_policy(alxa):
    return load_default_policy()


@pytest.fixture
def league_pack(default_policy, area, league_officer):
    """A published Alxa league pack, version 1: threshold 7000 for 2023."""
    pack = pack_create(
        actor=league_officer,
        area=area(ALXA),
        name="阿拉善盟监测标准",
        effective_from=datetime.date(2023, 1, 1),
    )
    pack_set_value(
        actor=league_officer, pack=pack, key=THRESHOLD, year=2023, value=7000, source=NOTICE
    )
    return pack_publish(actor=league_officer, pack=pack)


@pytest.fixture
def league_draft(league_pack, league_officer):
    return pack_draft_from(actor=league_officer, pack=league_pack)


def _value_form(row: PolicyValue, **changes):
    data = {
        "value": str(row.value),
        "source": row.source,
        "seen_value": str(row.value),
        "seen_source": row.source,
    }
    return {**data, **changes}


def _edit_url(pack, key=THRESHOLD, year=2023):
    return reverse("policy:value_edit", args=[pack.pk]) + f"?key={key}&year={year}"


# Reading


def test_list_shows_every_scope_with_status_and_who_published(
    client_for, league_pack, league_draft, league_officer
):
    page = client_for(league_officer).get(reverse("policy:list"))
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("全国", "省/自治区", "盟/市"):
        assert label in text
    assert f'id="pack-{league_pack.pk}"' in text
    assert f'id="pack-{league_draft.pk}"' in text
    assert "草稿" in text and "已发布" in text
    assert league_officer.username in text
    assert "2023-01-01" in text


def test_navigation_offers_policy_to_every_role_with_a_grant_and_not_to_an_outsider(
    client_for, gaqa_cadre, analyst, outsider
):
    for user in (gaqa_cadre, analyst):
        assert reverse("policy:list") in client_for(user).get("/").content.decode()
    assert reverse("policy:list") not in client_for(outsider).get("/").content.decode()


def test_outsider_sees_no_pack_and_no_page(client_for, league_pack, outsider):
    client = client_for(outsider)
    assert client.get(reverse("policy:list")).status_code == 404
    assert client.get(reverse("policy:detail", args=[league_pack.pk])).status_code == 404
    assert client.get(reverse("policy:in_force")).status_code == 404
    assert client.get(reverse("policy:compare")).status_code == 404


def test_a_banner_pack_is_invisible_from_the_neighbouring_banner(
    client_for, default_policy, area, admin, ejina_officer
):
    pack = pack_create(
        actor=admin, area=area(RIGHT_BANNER), name="右旗", effective_from=datetime.date(2024, 1, 1)
    )
    page = client_for(ejina_officer).get(reverse("policy:detail", args=[pack.pk]))
    assert page.status_code == 404


def test_detail_shows_every_value_with_its_unit_and_source(client_for, default_policy, gaqa_cadre):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    page = client_for(gaqa_cadre).get(reverse("policy:detail", args=[nation.pk]))
    text = page.content.decode()
    assert 'id="value-poverty_line-2019"' in text
    assert "3,747" in text
    assert "元/人·年" in text
    assert "厅字〔2016〕16号" in text
    for row in nation.values.all():
        assert escape(row.source) in text


def test_detail_marks_a_carried_forward_threshold_with_its_year(
    client_for, default_policy, banner_officer
):
    province = PolicyPack.objects.get(scope=ScopeLevel.PROVINCE)
    url = reverse("policy:detail", args=[province.pk])
    page = client_for(banner_officer).get(url, {"year": 2023, "area": RIGHT_BANNER})
    text = page.content.decode()
    row = text[text.index('id="in-force-monitoring_threshold"') :]
    row = row[: row.index("</tr>")]
    assert 'class="carried"' in row
    assert "6,000" in row
    assert "沿用 2021 年数值" in row
    assert 'id="carried-forward-note"' in text


def test_in_force_does_not_mark_a_value_set_for_the_year_itself(
    client_for, default_policy, banner_officer
):
    page = client_for(banner_officer).get(
        reverse("policy:in_force"), {"year": 2025, "area": RIGHT_BANNER}
    )
    text = page.content.decode()
    row = text[text.index('id="in-force-monitoring_threshold"') :]
    row = row[: row.index("</tr>")]
    assert "8,800" in row
    assert "沿用" not in row
    # The poverty line stops in 2020 and the rural income in 2023: for 2025 both are carried.
    line = text[text.index('id="in-force-poverty_line"') :]
    assert "沿用 2020 年数值" in line[: line.index("</tr>")]
    assert "下列 2 项参数未设定 2025 年数值" in text


def test_in_force_says_a_value_before_its_first_year_is_not_set(
    client_for, default_policy, banner_officer
):
    page = client_for(banner_officer).get(
        reverse("policy:in_force"), {"year": 2019, "area": RIGHT_BANNER}
    )
    text = page.content.decode()
    row = text[text.index('id="in-force-monitoring_threshold"') :]
    row = row[: row.index("</tr>")]
    assert "不作推定" in row


def test_in_force_answers_htmx_with_the_panel_only(client_for, default_policy, banner_officer):
    page = client_for(banner_officer).get(
        reverse("policy:in_force"), {"year": 2023, "area": RIGHT_BANNER}, HTTP_HX_REQUEST="true"
    )
    text = page.content.decode()
    assert text.lstrip().startswith('<div id="in-force">')
    assert "沿用 2021 年数值" in text


def test_in_force_refuses_an_area_outside_the_users_scope(
    client_for, default_policy, ejina_officer
):
    page = client_for(ejina_officer).get(
        reverse("policy:in_force"), {"year": 2023, "area": RIGHT_BANNER}
    )
    assert page.status_code == 200
    assert 'id="in-force-monitoring_threshold"' not in page.content.decode()


def test_compare_shows_a_changed_value_an_added_year_and_a_removed_one(
    client_for, league_pack, league_draft, league_officer
):
    pack_set_value(
        actor=league_officer, pack=league_draft, key=THRESHOLD, year=2023, value=7200, source=NOTICE
    )
    pack_set_value(
        actor=league_officer, pack=league_draft, key=THRESHOLD, year=2024, value=7500, source=NOTICE
    )
    page = client_for(league_officer).get(
        reverse("policy:compare"), {"old": league_pack.pk, "new": league_draft.pk}
    )
    text = page.content.decode()
    changed = text[text.index('id="change-monitoring_threshold-2023"') :]
    changed = changed[: changed.index("</tr>")]
    assert "change-changed" in changed
    assert "<s>7,000</s>" in changed and "<b>7,200</b>" in changed
    added = text[text.index('id="change-monitoring_threshold-2024"') :]
    assert "change-added" in added[: added.index("</tr>")]

    reverse_page = client_for(league_officer).get(
        reverse("policy:compare"), {"old": league_draft.pk, "new": league_pack.pk}
    )
    removed = reverse_page.content.decode()
    removed = removed[removed.index('id="change-monitoring_threshold-2024"') :]
    assert "change-removed" in removed[: removed.index("</tr>")]


def test_compare_refuses_a_pack_the_user_may_not_see(
    client_for, default_policy, area, admin, ejina_officer
):
    banner = pack_create(
        actor=admin, area=area(RIGHT_BANNER), name="右旗", effective_from=datetime.date(2024, 1, 1)
    )
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    page = client_for(ejina_officer).get(
        reverse("policy:compare"), {"old": nation.pk, "new": banner.pk}
    )
    assert page.status_code == 200
    assert "右旗" not in page.content.decode()
    assert "compare-summary" not in page.content.decode()


# Who may change policy


def test_viewers_get_no_buttons_to_draft_edit_or_publish(
    client_for, league_pack, league_draft, banner_officer, gaqa_cadre
):
    for user in (banner_officer, gaqa_cadre):
        client = client_for(user)
        published = client.get(reverse("policy:detail", args=[league_pack.pk])).content.decode()
        draft = client.get(reverse("policy:detail", args=[league_draft.pk])).content.decode()
        assert reverse("policy:draft", args=[league_pack.pk]) not in published
        assert reverse("policy:publish", args=[league_draft.pk]) not in draft
        assert reverse("policy:value_edit", args=[league_draft.pk]) not in draft
        assert reverse("policy:new") not in client.get(reverse("policy:list")).content.decode()


def test_officer_gets_the_buttons_for_the_league_but_not_for_the_nation(
    client_for, league_pack, league_draft, league_officer
):
    client = client_for(league_officer)
    published = client.get(reverse("policy:detail", args=[league_pack.pk])).content.decode()
    draft = client.get(reverse("policy:detail", args=[league_draft.pk])).content.decode()
    assert reverse("policy:draft", args=[league_pack.pk]) in published
    assert reverse("policy:publish", args=[league_draft.pk]) in draft
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    page = client.get(reverse("policy:detail", args=[nation.pk])).content.decode()
    assert reverse("policy:draft", args=[nation.pk]) not in page


def test_a_banner_approver_is_refused_403_on_every_change_and_nothing_happens(
    client_for, league_pack, league_draft, banner_officer
):
    client = client_for(banner_officer)
    before = (PolicyPack.objects.count(), PolicyValue.objects.count(), AuditEntry.objects.count())
    row = league_draft.values.get()
    refused = [
        client.get(reverse("policy:draft", args=[league_pack.pk])),
        client.post(
            reverse("policy:draft", args=[league_pack.pk]),
            {"name": "x", "effective_from": "2024-01-01"},
        ),
        client.get(_edit_url(league_draft)),
        client.post(_edit_url(league_draft), _value_form(row, value="1")),
        client.post(
            reverse("policy:value_remove", args=[league_draft.pk]),
            {"key": THRESHOLD, "year": 2023, "seen_value": "7000", "seen_source": NOTICE},
        ),
        client.get(reverse("policy:publish", args=[league_draft.pk])),
        client.post(reverse("policy:publish", args=[league_draft.pk])),
        client.get(reverse("policy:new")),
        client.post(
            reverse("policy:new"),
            {"area": RIGHT_BANNER, "name": "x", "effective_from": "2024-01-01"},
        ),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    after = (PolicyPack.objects.count(), PolicyValue.objects.count(), AuditEntry.objects.count())
    assert after == before
    league_draft.refresh_from_db()
    assert league_draft.status == PackStatus.DRAFT


def test_an_outsider_posting_to_publish_gets_nothing_done(
    client_for, league_draft, outsider, analyst
):
    assert (
        client_for(outsider).post(reverse("policy:publish", args=[league_draft.pk])).status_code
        == 404
    )
    assert (
        client_for(analyst).post(reverse("policy:publish", args=[league_draft.pk])).status_code
        == 403
    )
    league_draft.refresh_from_db()
    assert league_draft.status == PackStatus.DRAFT
    assert not AuditEntry.objects.filter(
        action="policy.pack.published", object_id=str(league_draft.pk)
    ).exists()


def test_a_league_officer_may_not_draft_the_nation_pack_even_by_a_forced_post(
    client_for, default_policy, league_officer
):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    page = client_for(league_officer).post(
        reverse("policy:draft", args=[nation.pk]), {"name": "x", "effective_from": "2024-01-01"}
    )
    assert page.status_code == 403
    assert PolicyPack.objects.filter(scope=ScopeLevel.NATION).count() == 1


# Draft, edit, publish


def test_officer_drafts_edits_and_publishes_a_new_version(
    client_for, league_pack, league_officer, area
):
    client = client_for(league_officer)
    page = client.post(
        reverse("policy:draft", args=[league_pack.pk]),
        {"name": "阿拉善盟监测标准（2024 年调整）", "effective_from": "2024-01-01"},
    )
    draft = PolicyPack.objects.get(area=area(ALXA), version=2)
    assert page.status_code == 302 and page.url == reverse("policy:detail", args=[draft.pk])
    assert draft.status == PackStatus.DRAFT and draft.based_on == league_pack
    row = draft.values.get()

    page = client.post(
        _edit_url(draft), _value_form(row, value="7400", source="盟文件 2024 年 3 号")
    )
    assert page.status_code == 302
    page = client.post(
        reverse("policy:value_edit", args=[draft.pk]),
        {"key": THRESHOLD, "year": 2024, "value": "7600", "source": "盟文件 2024 年 3 号"},
    )
    assert page.status_code == 302
    assert {(v.year, v.value) for v in draft.values.all()} == {
        (2023, Decimal("7400")),
        (2024, Decimal("7600")),
    }

    confirm = client.get(reverse("policy:publish", args=[draft.pk])).content.decode()
    assert 'id="confirm-publish"' in confirm
    assert "<b>7,400</b>" in confirm  # what changes against version 1 is shown first
    draft.refresh_from_db()
    assert draft.status == PackStatus.DRAFT  # the confirmation page publishes nothing

    page = client.post(reverse("policy:publish", args=[draft.pk]))
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PackStatus.PUBLISHED
    assert draft.published_by == league_officer
    actions = set(
        AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    )
    assert {"policy.pack.drafted", "policy.value.set", "policy.pack.published"} <= actions
    assert league_pack.values.get().value == Decimal("7000")


def test_officer_creates_a_banner_pack_from_nothing(client_for, default_policy, league_officer):
    page = client_for(league_officer).post(
        reverse("policy:new"),
        {"area": RIGHT_BANNER, "name": "右旗监测标准", "effective_from": "2024-01-01"},
    )
    pack = PolicyPack.objects.get(scope=ScopeLevel.BANNER)
    assert page.url == reverse("policy:detail", args=[pack.pk])
    assert pack.area.code == RIGHT_BANNER and pack.status == PackStatus.DRAFT


def test_the_new_pack_form_offers_only_scopes_the_user_may_change(
    client_for, default_policy, league_officer
):
    text = client_for(league_officer).get(reverse("policy:new")).content.decode()
    assert f'value="{ALXA}"' in text and f'value="{RIGHT_BANNER}"' in text
    assert 'value="nation"' not in text
    assert 'value="150000000000"' not in text


def test_an_edit_over_a_value_changed_meanwhile_is_refused_and_says_so(
    client_for, league_draft, league_officer
):
    row = league_draft.values.get()
    form = _value_form(row, value="7100")
    pack_set_value(
        actor=league_officer, pack=league_draft, key=THRESHOLD, year=2023, value=7300, source=NOTICE
    )
    page = client_for(league_officer).post(_edit_url(league_draft), form)
    assert page.status_code == 200
    assert "在您打开表单之后" in page.content.decode()
    assert league_draft.values.get().value == Decimal("7300")


def test_adding_a_value_that_exists_is_refused_with_the_year_marked(
    client_for, league_draft, league_officer
):
    page = client_for(league_officer).post(
        reverse("policy:value_edit", args=[league_draft.pk]),
        {"key": THRESHOLD, "year": 2023, "value": "1", "source": NOTICE},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "field-year has-error" in text
    assert league_draft.values.get().value == Decimal("7000")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"key": THRESHOLD, "year": "", "value": "1", "source": "x"}, "year", "请填写年份"),
        (
            {"key": "publicity_min_days", "year": "2024", "value": "5", "source": "x"},
            "year",
            "不分年份",
        ),
        ({"key": THRESHOLD, "year": "2024", "value": "-1", "source": "x"}, "value", ""),
        (
            {"key": "village_exit_incidence_percent", "year": "", "value": "120", "source": "x"},
            "value",
            "百分比",
        ),
        ({"key": THRESHOLD, "year": "2024", "value": "1", "source": "  "}, "source", ""),
    ],
)
def test_bad_values_are_refused_with_the_field_marked(  # noqa: PLR0917 (pytest arguments)
    client_for, league_draft, league_officer, data, field, message
):
    page = client_for(league_officer).post(
        reverse("policy:value_edit", args=[league_draft.pk]), data
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert f"field-{field} has-error" in text
    assert message in text
    assert league_draft.values.count() == 1


def test_removing_a_value_from_a_draft_is_audited(client_for, league_draft, league_officer):
    page = client_for(league_officer).post(
        reverse("policy:value_remove", args=[league_draft.pk]),
        {"key": THRESHOLD, "year": 2023, "seen_value": "7000.0000", "seen_source": NOTICE},
    )
    assert page.status_code == 302
    assert not league_draft.values.exists()
    assert AuditEntry.objects.filter(action="policy.value.removed").exists()


def test_publishing_an_empty_draft_is_refused_with_a_message(
    client_for, league_draft, league_officer
):
    league_draft.values.all().delete()
    page = client_for(league_officer).post(reverse("policy:publish", args=[league_draft.pk]))
    assert page.status_code == 200
    assert 'id="publish-error"' in page.content.decode()
    league_draft.refresh_from_db()
    assert league_draft.status == PackStatus.DRAFT


# A published pack never changes


def test_a_published_pack_offers_no_edit_form(client_for, league_pack, league_officer):
    client = client_for(league_officer)
    detail = client.get(reverse("policy:detail", args=[league_pack.pk])).content.decode()
    assert reverse("policy:value_edit", args=[league_pack.pk]) not in detail
    assert reverse("policy:value_remove", args=[league_pack.pk]) not in detail
    assert 'id="immutable-note"' in detail
    assert client.get(_edit_url(league_pack)).status_code == 409


def test_forced_posts_to_a_published_pack_change_nothing(client_for, league_pack, admin):
    client = client_for(admin)
    row = league_pack.values.get()
    audit = AuditEntry.objects.count()
    responses = [
        client.post(_edit_url(league_pack), _value_form(row, value="1")),
        client.post(
            reverse("policy:value_edit", args=[league_pack.pk]),
            {"key": THRESHOLD, "year": 2030, "value": "1", "source": "x"},
        ),
        client.post(
            reverse("policy:value_remove", args=[league_pack.pk]),
            {"key": THRESHOLD, "year": 2023, "seen_value": "7000", "seen_source": NOTICE},
        ),
        client.post(reverse("policy:publish", args=[league_pack.pk])),
    ]
    assert [r.status_code for r in responses] == [409] * 4
    assert "已发布的版本不可更改" in responses[0].content.decode()
    assert list(league_pack.values.values_list("year", "value")) == [(2023, Decimal("7000"))]
    assert AuditEntry.objects.count() == audit


def test_list_page_queries_do_not_grow_with_packs(
    client_for, league_pack, league_officer, django_assert_max_num_queries
):
    for _ in range(5):
        draft = pack_draft_from(actor=league_officer, pack=league_pack)
        pack_publish(actor=league_officer, pack=draft)
    client = client_for(league_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("policy:list")).status_code == 200
