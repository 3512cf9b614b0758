"""Fixtures shared by every app's tests: the Alxa tree and the personas.

Personas (as in the issue): a gaqa cadre of 巴丹吉林镇 (and one of 雅布赖镇), the town
reviewer of 巴丹吉林镇, a banner officer of 阿拉善右旗, an officer of 额济纳旗, a league
officer, a system administrator, an analyst, a supervisor, and an outsider with no grant at
all, who must see nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tuopin.accounts.models import Grant, User
from tuopin.areas.models import Area
from tuopin.areas.services import load_reference_tree

ROOT = "150000000000"
ALXA = "152900000000"
LEFT_BANNER = "152921000000"
RIGHT_BANNER = "152922000000"
EJINA = "152923000000"
BADANJILIN = "152922103000"
EKENHUDUGE = "152922103201"  # a gaqa of 巴丹吉林镇
YABULAI = "152922104000"  # another town of 阿拉善右旗
SAIHANTAOLAI_GAQA = "152923200201"  # 额济纳旗

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def alxa(db: Any) -> Any:
    """The reference Alxa tree, loaded through the same service as ``tuopin demo``."""

    load_reference_tree()

    return Area.objects.get(code=ALXA)


@pytest.fixture
def area(alxa: Any) -> Callable[[str], Any]:

    return lambda code: Area.objects.get(code=code)


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:

    def make(username: str, *grants: tuple[str, str]) -> Any:
        user = User.objects.create_user(username=username, password=PASSWORD)
        for role, code in grants:
            Grant.objects.create(user=user, role=role, area=Area.objects.get(code=code))
        return user

    return make


@pytest.fixture
def gaqa_cadre(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("cadre_badanjilin", ("gaqa_cadre", BADANJILIN))


@pytest.fixture
def town_reviewer(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("reviewer_badanjilin", ("town_reviewer", BADANJILIN))


@pytest.fixture
def yabulai_cadre(alxa: Any, make_user: Callable[..., Any]) -> Any:
    """A gaqa cadre of another town of the same banner: a neighbour who must not act here."""
    return make_user("cadre_yabulai", ("gaqa_cadre", YABULAI))


@pytest.fixture
def banner_officer(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("officer_youqi", ("banner_approver", RIGHT_BANNER))


@pytest.fixture
def ejina_officer(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("officer_ejina", ("banner_approver", EJINA))


@pytest.fixture
def league_officer(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("officer_league", ("league_officer", ALXA))


@pytest.fixture
def admin(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("root_admin", ("system_admin", ROOT))


@pytest.fixture
def analyst(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("analyst_league", ("analyst", ALXA))


@pytest.fixture
def supervisor(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("renda_league", ("supervisor", ALXA))


@pytest.fixture
def outsider(alxa: Any, make_user: Callable[..., Any]) -> Any:
    return make_user("outsider")


@pytest.fixture
def client_for(client: Any) -> Callable[[Any], Any]:
    """A test client signed in as the given user."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hash passwords cheaply in tests; production keeps Django's slow default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
