from __future__ import annotations

from tuopin.accounts.models import Grant, User
from tuopin.areas.models import AreaYearFigure
from tuopin.demo.services import DEMO_USERS, load_demo


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
