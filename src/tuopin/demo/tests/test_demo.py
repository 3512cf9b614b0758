from __future__ import annotations

import datetime

from django.utils.translation import gettext

from tuopin.accounts.models import Grant, User
from tuopin.areas.models import AreaYearFigure
from tuopin.demo.services import DEMO_HOUSEHOLDS, DEMO_USERS, load_demo
from tuopin.registry.models import Household
from tuopin.registry.selectors import status_as_of


def test_demo_data_loads_once_and_a_second_load_adds_nothing(db):
    first = load_demo()
    assert first.tree.created
    assert first.figures_created > 0
    assert set(first.users_created) == {u.username for u in DEMO_USERS}
    second = load_demo()
    assert not second.tree.changed
    assert second.figures_created == 0
    assert second.users_created == []
    assert User.objects.count() == len(DEMO_USERS)
    assert Grant.objects.count() == len(DEMO_USERS)


def test_demo_figures_are_marked_synthetic(db):
    load_demo()
    assert AreaYearFigure.objects.exists()
    assert not AreaYearFigure.objects.filter(is_synthetic=False).exists()


def test_demo_households_are_synthetic_with_a_tuopin_history(db):
    report = load_demo()
    assert report.households_created == DEMO_HOUSEHOLDS
    assert load_demo().households_created == 0
    assert Household.objects.count() == DEMO_HOUSEHOLDS
    household = Household.objects.filter(household_type="tuopin", tuopin_year__gt=2014).first()
    exited_on = household.statuses.get(status="exited_with_policy").valid_from
    assert exited_on.year == household.tuopin_year
    assert status_as_of(household, datetime.date(2014, 12, 1)).status == "poor"
    assert status_as_of(household, exited_on - datetime.timedelta(days=1)).status == "poor"
    assert status_as_of(household, exited_on).status == "exited_with_policy"


def test_every_page_says_the_data_is_synthetic_once_demo_data_is_loaded(client, db):
    load_demo()
    client.force_login(User.objects.get(username="league"))
    notice = gettext(
        "Demonstration system: every household, person and figure shown here is synthetic."
    )
    for path in ("/", "/registry/", "/areas/152922000000/"):
        assert notice in client.get(path).text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "every household, person and figure shown here is synthetic" in client.get("/").text
