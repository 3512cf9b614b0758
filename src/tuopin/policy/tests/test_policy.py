from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conftest import ALXA, BADANJILIN, EJINA, EKENHUDUGE, RIGHT_BANNER, ROOT
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.policy.choices import PackStatus, PolicyKey, ScopeLevel
from tuopin.policy.models import PolicyPack, PolicyValue, PublishedPackImmutable
from tuopin.policy.selectors import pack_list, policy_in_force
from tuopin.policy.services import (
    load_default_policy,
    pack_create,
    pack_draft_from,
    pack_publish,
    pack_remove_value,
    pack_set_value,
)

TODAY = datetime.date(2025, 12, 31)
THRESHOLD = PolicyKey.MONITORING_THRESHOLD


@pytest.fixture
def default_policy(alxa):
    return load_default_policy()


def _league_pack(actor, area, *, value=7000, year=2023, publish=True):
    pack = pack_create(
        actor=actor, area=area, name="Alxa", effective_from=datetime.date(2023, 1, 1)
    )
    pack_set_value(
        actor=actor, pack=pack, key=THRESHOLD, year=year, value=value, source="盟 notice"
    )
    return pack_publish(actor=actor, pack=pack) if publish else pack


# The default pack


def test_default_policy_ships_every_value_with_its_source(default_policy, area):
    nation, province = default_policy
    assert (nation.scope, nation.area, nation.status) == (
        ScopeLevel.NATION,
        None,
        PackStatus.PUBLISHED,
    )
    assert province.area == area(ROOT)
    lines = dict(nation.values.filter(key=PolicyKey.POVERTY_LINE).values_list("year", "value"))
    assert lines == {
        2014: 2800,
        2015: 2855,
        2016: 2952,
        2017: 3335,
        2018: 3535,
        2019: 3747,
        2020: 4000,
    }
    view = policy_in_force(at=TODAY, area=area(EKENHUDUGE))
    expected = {
        PolicyKey.PUBLICITY_MIN_DAYS: 5,
        PolicyKey.IDENTIFICATION_DAYS_LIMIT: 15,
        PolicyKey.ELIMINATION_MIN_MONTHS: 6,
        PolicyKey.ELIMINATION_MIN_MEASURES: 1,
        PolicyKey.VILLAGE_EXIT_INCIDENCE_PERCENT: 3,
        PolicyKey.MEDICAL_WARNING_SHARE_TUOPIN_PERCENT: 50,
        PolicyKey.MEDICAL_WARNING_SHARE_OTHER_PERCENT: 100,
    }
    for key, number in expected.items():
        found = view.value(key)
        assert found.value == number, key
        assert found.year is None
        assert not found.carried_forward
        assert (found.scope, found.version) == (ScopeLevel.NATION, 1)
    assert "厅字〔2016〕16号" in view.value(PolicyKey.VILLAGE_EXIT_INCIDENCE_PERCENT).source
    assert PolicyValue.objects.filter(source="").count() == 0


def test_loading_the_default_policy_twice_changes_nothing(default_policy):
    assert load_default_policy() == []
    assert PolicyPack.objects.count() == 2
    assert AuditEntry.objects.filter(action="policy.pack.default_loaded").count() == 2


def test_the_2019_poverty_line_is_3747(default_policy, area):
    found = policy_in_force(at=TODAY, area=area(RIGHT_BANNER)).value(PolicyKey.POVERTY_LINE, 2019)
    assert found.value == Decimal(3747)
    assert (found.year, found.from_year, found.carried_forward) == (2019, 2019, False)
    assert "exit-check line" in found.source


def test_nation_policy_reads_without_an_area(default_policy):
    view = policy_in_force(at=TODAY, area=None)
    assert view.amount(PolicyKey.POVERTY_LINE, 2014) == 2800
    assert view.value(THRESHOLD, 2025) is None


# Year-keyed values: carried forward, never back


def test_threshold_for_right_banner_is_carried_forward_from_2021_in_2023(default_policy, area):
    view = policy_in_force(at=TODAY, area=area(RIGHT_BANNER))
    found = view.value(THRESHOLD, 2023)
    assert found.value == 6000
    assert found.carried_forward is True
    assert (found.year, found.from_year) == (2023, 2021)
    assert (found.scope, found.area_code, found.version) == (ScopeLevel.PROVINCE, ROOT, 1)


def test_threshold_for_right_banner_in_2025_is_8800_and_none_in_2020(default_policy, area):
    view = policy_in_force(at=TODAY, area=area(RIGHT_BANNER))
    found = view.value(THRESHOLD, 2025)
    assert (found.value, found.carried_forward, found.from_year) == (8800, False, 2025)
    assert view.value(THRESHOLD, 2020) is None


def test_poverty_line_after_the_last_year_is_carried_not_invented(default_policy, area):
    found = policy_in_force(at=TODAY, area=area(RIGHT_BANNER)).value(PolicyKey.POVERTY_LINE, 2022)
    assert (found.value, found.from_year, found.carried_forward) == (4000, 2020, True)
    assert policy_in_force(at=TODAY, area=None).value(PolicyKey.POVERTY_LINE, 2013) is None


def test_a_pack_is_not_in_force_before_its_date(default_policy, area):
    view = policy_in_force(at=datetime.date(2020, 12, 31), area=area(RIGHT_BANNER))
    assert [p.scope for p in view.packs] == [ScopeLevel.NATION]
    assert view.value(THRESHOLD, 2021) is None


# Scopes


def test_a_league_pack_wins_below_the_league_and_nowhere_else(default_policy, area, admin):
    _league_pack(admin, area(ALXA))
    for code in (ALXA, RIGHT_BANNER, EKENHUDUGE):
        found = policy_in_force(at=TODAY, area=area(code)).value(THRESHOLD, 2024)
        assert (found.value, found.scope, found.area_code) == (7000, ScopeLevel.LEAGUE, ALXA)
    province = policy_in_force(at=TODAY, area=area(ROOT)).value(THRESHOLD, 2024)
    assert (province.value, province.scope) == (6000, ScopeLevel.PROVINCE)
    # Keys the league does not set still come from wider scopes.
    banner = policy_in_force(at=TODAY, area=area(RIGHT_BANNER))
    assert banner.amount(PolicyKey.PUBLICITY_MIN_DAYS) == 5


def test_a_banner_pack_does_not_reach_a_neighbouring_banner(default_policy, area, league_officer):
    _league_pack(league_officer, area(RIGHT_BANNER), value=7500)
    assert policy_in_force(at=TODAY, area=area(BADANJILIN)).amount(THRESHOLD, 2023) == 7500
    assert policy_in_force(at=TODAY, area=area(EJINA)).amount(THRESHOLD, 2023) == 6000


def test_a_draft_is_ignored_until_published(default_policy, area, admin):
    draft = _league_pack(admin, area(ALXA), publish=False)
    assert policy_in_force(at=TODAY, area=area(RIGHT_BANNER)).amount(THRESHOLD, 2023) == 6000
    pack_publish(actor=admin, pack=draft)
    assert policy_in_force(at=TODAY, area=area(RIGHT_BANNER)).amount(THRESHOLD, 2023) == 7000


def test_the_latest_version_in_force_wins(default_policy, area, admin):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    draft = pack_draft_from(actor=admin, pack=nation, effective_from=datetime.date(2024, 1, 1))
    assert (draft.version, draft.based_on, draft.status) == (2, nation, PackStatus.DRAFT)
    assert draft.values.count() == nation.values.count()
    pack_set_value(
        actor=admin,
        pack=draft,
        key=PolicyKey.PUBLICITY_MIN_DAYS,
        year=None,
        value=7,
        source="test",
    )
    pack_publish(actor=admin, pack=draft)
    later = policy_in_force(at=TODAY, area=area(RIGHT_BANNER)).value(PolicyKey.PUBLICITY_MIN_DAYS)
    assert (later.value, later.version) == (7, 2)
    earlier = policy_in_force(at=datetime.date(2023, 6, 1), area=None)
    assert earlier.value(PolicyKey.PUBLICITY_MIN_DAYS).value == 5
    assert nation.values.get(key=PolicyKey.PUBLICITY_MIN_DAYS).value == 5


# Immutability


def test_a_published_pack_refuses_changes_through_services(default_policy, admin):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    with pytest.raises(PublishedPackImmutable):
        pack_set_value(
            actor=admin,
            pack=nation,
            key=PolicyKey.POVERTY_LINE,
            year=2019,
            value=9999,
            source="x",
        )
    with pytest.raises(PublishedPackImmutable):
        pack_publish(actor=admin, pack=nation)
    assert nation.values.get(key=PolicyKey.POVERTY_LINE, year=2019).value == 3747


def test_a_published_pack_refuses_changes_through_the_model(default_policy):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    row = nation.values.get(key=PolicyKey.POVERTY_LINE, year=2019)
    row.value = Decimal(1)
    with pytest.raises(PublishedPackImmutable):
        row.save()
    with pytest.raises(PublishedPackImmutable):
        row.delete()
    with pytest.raises(PublishedPackImmutable):
        PolicyValue.objects.create(pack=nation, key=PolicyKey.POVERTY_LINE, year=2021, value=1)
    with pytest.raises(PublishedPackImmutable):
        nation.values.update(value=1)
    with pytest.raises(PublishedPackImmutable):
        nation.values.all().delete()
    nation.note = "changed"
    with pytest.raises(PublishedPackImmutable):
        nation.save()
    with pytest.raises(PublishedPackImmutable):
        nation.delete()
    assert PolicyValue.objects.get(pk=row.pk).value == 3747


def test_set_value_rejects_bad_input(default_policy, area, admin):
    pack = pack_create(actor=admin, area=area(ALXA), name="x", effective_from=TODAY)
    bad = [
        (THRESHOLD, None, 1, "s", "policy.value.year_required"),
        (PolicyKey.PUBLICITY_MIN_DAYS, 2024, 1, "s", "policy.value.no_year"),
        (PolicyKey.MEDICAL_WARNING_SHARE_OTHER_PERCENT, None, 150, "s", "policy.value.bad_value"),
        (THRESHOLD, 2024, "abc", "s", "policy.value.bad_value"),
        (THRESHOLD, 2024, 8000, "  ", "policy.value.no_source"),
        ("no_such_key", None, 1, "s", "policy.value.unknown_key"),
    ]
    for key, year, value, source, code in bad:
        with pytest.raises(DomainError) as refused:
            pack_set_value(actor=admin, pack=pack, key=key, year=year, value=value, source=source)
        assert refused.value.code == code
    assert not pack.values.exists()
    with pytest.raises(DomainError) as empty:
        pack_publish(actor=admin, pack=pack)
    assert empty.value.code == "policy.pack.empty"


def test_packs_are_only_for_nation_province_league_or_banner(area, admin):
    with pytest.raises(DomainError) as refused:
        pack_create(actor=admin, area=area(BADANJILIN), name="x", effective_from=TODAY)
    assert refused.value.code == "policy.pack.bad_scope"


# Audit


def test_publishing_is_audited(default_policy, area, league_officer):
    pack = _league_pack(league_officer, area(ALXA))
    entry = AuditEntry.objects.get(action="policy.pack.published")
    assert entry.actor == league_officer
    assert entry.area_code == ALXA
    assert entry.object_id == str(pack.pk)
    assert entry.diff["status"] == ["draft", "published"]
    assert pack.published_by == league_officer
    assert pack.published_at is not None
    value_set = AuditEntry.objects.get(action="policy.value.set")
    assert value_set.diff["value"] == [None, "7000"]
    assert AuditEntry.objects.filter(action="policy.pack.created").count() == 1


def test_drafting_a_new_version_is_audited(default_policy, admin):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    draft = pack_draft_from(actor=admin, pack=nation)
    entry = AuditEntry.objects.get(action="policy.pack.drafted")
    assert entry.object_id == str(draft.pk)
    assert entry.diff["version"] == [1, 2]


# Permissions


def test_banner_officer_cannot_draft_or_publish_a_nation_pack(default_policy, banner_officer):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    with pytest.raises(PermissionDenied):
        pack_draft_from(actor=banner_officer, pack=nation)
    with pytest.raises(PermissionDenied):
        pack_create(actor=banner_officer, area=None, name="x", effective_from=TODAY)
    assert PolicyPack.objects.count() == 2


def test_banner_officer_cannot_publish_a_nation_draft(default_policy, admin, banner_officer):
    draft = pack_draft_from(actor=admin, pack=PolicyPack.objects.get(scope=ScopeLevel.NATION))
    with pytest.raises(PermissionDenied):
        pack_publish(actor=banner_officer, pack=draft)
    draft.refresh_from_db()
    assert draft.status == PackStatus.DRAFT
    assert not AuditEntry.objects.filter(action="policy.pack.published").exists()


def test_only_a_tree_administrator_changes_nation_and_province_packs(
    default_policy, area, admin, league_officer
):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    province = PolicyPack.objects.get(scope=ScopeLevel.PROVINCE)
    for pack in (nation, province):
        with pytest.raises(PermissionDenied):
            pack_draft_from(actor=league_officer, pack=pack)
    assert pack_draft_from(actor=admin, pack=province).version == 2


def test_league_packs_are_for_officers_over_the_league(
    default_policy, area, league_officer, banner_officer, ejina_officer
):
    _league_pack(league_officer, area(ALXA))
    with pytest.raises(PermissionDenied):
        pack_create(actor=banner_officer, area=area(ALXA), name="x", effective_from=TODAY)
    with pytest.raises(PermissionDenied):
        pack_create(actor=ejina_officer, area=area(RIGHT_BANNER), name="x", effective_from=TODAY)


def test_roles_without_policy_rights_cannot_change_policy(area, gaqa_cadre, analyst, supervisor):
    for user in (gaqa_cadre, analyst, supervisor):
        with pytest.raises(PermissionDenied):
            pack_create(actor=user, area=area(RIGHT_BANNER), name="x", effective_from=TODAY)
    assert not PolicyPack.objects.exists()


def test_pack_list_shows_the_packs_that_apply_and_nothing_to_an_outsider(
    default_policy, area, banner_officer, ejina_officer, outsider
):
    banner_pack = _league_pack(None, area(RIGHT_BANNER))
    seen = set(pack_list(user=banner_officer))
    assert banner_pack in seen
    assert {p.scope for p in seen} == {ScopeLevel.NATION, ScopeLevel.PROVINCE, ScopeLevel.BANNER}
    assert banner_pack not in set(pack_list(user=ejina_officer))
    assert not pack_list(user=outsider).exists()


def test_a_banner_approver_cannot_change_even_their_own_banners_policy(area, banner_officer):
    with pytest.raises(PermissionDenied):
        pack_create(actor=banner_officer, area=area(RIGHT_BANNER), name="x", effective_from=TODAY)
    assert not PolicyPack.objects.exists()


def test_a_league_officer_changes_a_banner_pack_below_the_league(area, league_officer):
    pack = pack_create(
        actor=league_officer, area=area(RIGHT_BANNER), name="x", effective_from=TODAY
    )
    assert pack.scope == ScopeLevel.BANNER


# Optimistic locking


def test_set_value_refuses_a_value_changed_since_the_editor_saw_it(area, league_officer):
    pack = _league_pack(league_officer, area(ALXA), publish=False)
    seen = (Decimal("7000"), "盟 notice")
    pack_set_value(
        actor=league_officer, pack=pack, key=THRESHOLD, year=2023, value=7100, source="盟 notice"
    )
    with pytest.raises(ConcurrentEdit):
        pack_set_value(
            actor=league_officer,
            pack=pack,
            key=THRESHOLD,
            year=2023,
            value=7200,
            source="盟 notice",
            expected=seen,
        )
    assert pack.values.get().value == Decimal("7100")
    row = pack_set_value(
        actor=league_officer,
        pack=pack,
        key=THRESHOLD,
        year=2023,
        value=7200,
        source="盟 notice",
        expected=("7100.0000", "盟 notice"),
    )
    assert row.value == Decimal("7200")


def test_adding_a_value_that_is_already_there_is_refused(area, league_officer):
    pack = _league_pack(league_officer, area(ALXA), publish=False)
    with pytest.raises(DomainError) as refused:
        pack_set_value(
            actor=league_officer,
            pack=pack,
            key=THRESHOLD,
            year=2023,
            value=1,
            source="x",
            expected=None,
        )
    assert refused.value.code == "policy.value.exists"
    assert refused.value.field == "year"


def test_removing_a_value_of_a_published_pack_is_refused(default_policy, admin):
    nation = PolicyPack.objects.get(scope=ScopeLevel.NATION)
    with pytest.raises(PublishedPackImmutable):
        pack_remove_value(actor=admin, pack=nation, key=PolicyKey.POVERTY_LINE, year=2019)
    assert nation.values.filter(year=2019).exists()


def test_removing_a_value_changed_meanwhile_is_refused(area, league_officer):
    pack = _league_pack(league_officer, area(ALXA), publish=False)
    with pytest.raises(ConcurrentEdit):
        pack_remove_value(
            actor=league_officer,
            pack=pack,
            key=THRESHOLD,
            year=2023,
            expected=(Decimal("6999"), "盟 notice"),
        )
    assert pack.values.exists()
