"""The demo households carry a history from the 2014 registration to 2025, read back from the
database: statuses, members coming and going, yearly incomes and conditions, monitoring."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext

from tuopin.policy.selectors import policy_in_force
from tuopin.registry.choices import MembershipReason, MonitorType, RegistryStatus
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    as_of_q,
)
from tuopin.registry.selectors import members_as_of, status_as_of

REGISTERED = datetime.date(2014, 10, 31)
LAST_EXIT = {"152921": 2018, "152922": 2017, "152923": 2020}


def statuses_by_household() -> dict[int, list[HouseholdStatus]]:
    out: dict[int, list[HouseholdStatus]] = defaultdict(list)
    for status in HouseholdStatus.objects.order_by("household_id", "valid_from", "id"):
        out[status.household_id].append(status)
    return out


def test_tuopin_households_were_identified_in_2014_and_exited_in_their_tuopin_year(league):
    history = statuses_by_household()
    tuopin = Household.objects.filter(household_type="tuopin").select_related("area")
    newly = 0
    for household in tuopin:
        rows = history[household.pk]
        first, last = rows[0], rows[-1]
        assert first.valid_from == REGISTERED
        if first.status == RegistryStatus.ORDINARY:  # 动态调整: newly identified later
            newly += 1
            assert rows[1].status == RegistryStatus.NEWLY_IDENTIFIED
        else:
            assert first.status == RegistryStatus.POOR
        assert last.status == RegistryStatus.EXITED_WITH_POLICY and last.valid_to is None
        assert last.valid_from.year == household.tuopin_year
        assert household.tuopin_year <= LAST_EXIT[household.area.code[:6]]
        for before, after in itertools.pairwise(rows):
            assert before.valid_to == after.valid_from
    assert 0 < newly < 200
    exits = Counter(h.tuopin_year for h in tuopin)
    assert set(exits) == set(range(2014, 2021))


def test_ordinary_households_stay_ordinary(league):
    ordinary = Household.objects.filter(household_type="ordinary")
    assert ordinary.count() > 1000
    assert (
        not HouseholdStatus.objects.filter(household__in=ordinary)
        .exclude(status=RegistryStatus.ORDINARY, valid_from=REGISTERED, valid_to__isnull=True)
        .exists()
    )


def test_people_are_born_die_and_marry_in_and_out_over_the_years(league):
    joined = Counter(Membership.objects.values_list("join_reason", flat=True))
    left = Counter(
        Membership.objects.exclude(leave_reason="").values_list("leave_reason", flat=True)
    )
    assert joined[MembershipReason.BIRTH] > 500
    assert joined[MembershipReason.MARRIAGE_IN] > 50
    assert left[MembershipReason.DEATH] > 300
    assert left[MembershipReason.MARRIAGE_OUT] > 100
    births = Membership.objects.filter(join_reason=MembershipReason.BIRTH)
    assert not births.exclude(valid_from=F("person__birth_date")).exists()
    assert not births.filter(valid_from__lte=REGISTERED).exists()
    changes = Membership.objects.filter(
        Q(valid_from__gt=REGISTERED) | Q(valid_to__isnull=False)
    ).values_list("valid_from", "valid_to")
    years = {d.year for pair in changes for d in pair if d and d > REGISTERED}
    assert years == set(range(2015, 2020)) | set(range(2021, 2026))
    # Every household keeps exactly one head, whoever comes and goes.
    for day in (REGISTERED, datetime.date(2018, 6, 1), datetime.date(2025, 12, 31)):
        heads = Counter(
            Membership.objects.filter(as_of_q(day), relation="head").values_list(
                "household_id", flat=True
            )
        )
        assert set(heads.values()) == {1}
        assert len(heads) == Household.objects.count()


def test_every_household_has_incomes_and_conditions_for_each_year_2014_to_2025(league):
    years = list(range(2014, 2026))
    for model in (HouseholdIncome, HouseholdConditions):
        per_household = model.objects.values("household").annotate(n=Count("id"))
        assert {row["n"] for row in per_household} == {12}
        assert sorted(set(model.objects.values_list("year", flat=True))) == years
    # The size recorded with an income is the number of members at the end of that year.
    household = Household.objects.filter(memberships__leave_reason=MembershipReason.DEATH).first()
    for income in household.incomes.all():
        day = REGISTERED if income.year == 2014 else datetime.date(income.year, 12, 31)
        assert income.size == members_as_of(household, day).count()


def per_capita(year: int) -> dict[int, Decimal]:
    return {
        i.household_id: i.net_income / i.size for i in HouseholdIncome.objects.filter(year=year)
    }


def test_tuopin_households_start_below_the_line_and_exit_above_it(league):
    lines = policy_in_force(at=datetime.date(2020, 12, 31), area=None)
    by_year = {year: per_capita(year) for year in range(2014, 2021)}
    tuopin = Household.objects.filter(household_type="tuopin")
    for household in tuopin:
        exit_year = household.tuopin_year
        line = lines.amount("poverty_line", exit_year)
        assert by_year[exit_year][household.pk] > line
        if exit_year > 2014 and status_as_of(household, REGISTERED).status == "poor":
            assert by_year[2014][household.pk] < lines.amount("poverty_line", 2014)


def test_incomes_grow_by_source_over_the_decade(league):
    sums = {
        row["year"]: row
        for row in HouseholdIncome.objects.values("year").annotate(
            wage=Sum("wage_income"),
            business=Sum("business_income"),
            transfer=Sum("transfer_income"),
        )
    }
    assert sums[2025]["wage"] > sums[2014]["wage"] * Decimal("1.5")
    assert sums[2025]["business"] > sums[2014]["business"] * Decimal("1.5")
    # Grassland eco-compensation stepped up with its second round in 2016.
    assert sums[2016]["transfer"] > sums[2015]["transfer"] * Decimal("1.1")


def test_households_that_exited_had_safe_housing_water_and_food_that_year(league):
    tuopin = Household.objects.filter(household_type="tuopin")
    at_exit = HouseholdConditions.objects.filter(
        household__in=tuopin, year=F("household__tuopin_year")
    )
    assert at_exit.count() == tuopin.count()
    assert not at_exit.filter(
        Q(housing_grade__in=["C", "D"])
        | Q(food_clothing=False)
        | Q(water_quantity=False)
        | Q(water_quality=False)
        | Q(water_access=False)
        | Q(water_reliability=False)
    ).exists()
    # Some were not safe when identified: dangerous houses rebuilt, water brought in.
    first = HouseholdConditions.objects.filter(household__in=tuopin, year=2014)
    assert first.filter(housing_grade__in=["C", "D"]).count() > 300
    renovated = HouseholdConditions.objects.filter(
        household__in=tuopin, housing_appraised_on__isnull=False
    )
    assert renovated.exists()


def test_monitoring_spells_begin_in_2020_of_every_type_and_some_risks_are_eliminated(league):
    spells = MonitoringPeriod.objects.all()
    assert spells.count() > 150
    assert not spells.filter(valid_from__lt=datetime.date(2020, 3, 20)).exists()
    assert set(spells.values_list("monitor_type", flat=True)) == set(MonitorType.values)
    assert spells.filter(valid_to__isnull=False).count() > spells.count() / 2
    assert spells.filter(valid_to__isnull=True).exists()
    unstable = spells.filter(monitor_type=MonitorType.UNSTABLE_TUOPIN)
    assert not unstable.exclude(household__household_type="tuopin").exists()
    assert not spells.filter(
        ~Q(monitor_type=MonitorType.UNSTABLE_TUOPIN), household__household_type="tuopin"
    ).exists()


def test_a_relocated_households_page_shows_its_history_and_says_it_is_synthetic(league, client):
    household = (
        Household.objects.filter(
            conditions__relocated=True,
            memberships__join_reason=MembershipReason.BIRTH,
            area__code__startswith="152922",
        )
        .distinct()
        .first()
    )
    condition = household.conditions.get(year=2020)
    client.force_login(league)
    page = client.get(f"/registry/{household.code}/").text
    assert (
        gettext("Demonstration system: every household, person and figure shown here is synthetic.")
        in page
    )
    assert condition.relocation_site in page
    assert condition.moved_in_on.isoformat() in page
    assert "脱贫（演示数据）" in page
