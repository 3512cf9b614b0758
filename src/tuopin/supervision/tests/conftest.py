"""Offices, deputies and users for the supervision tests, on the personas of the root
conftest: the supervisor is the committee (人大工委), the banner officer of 阿拉善右旗 works
for the banner's offices, the Ejina officer for Ejina's."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import ALXA, EJINA, RIGHT_BANNER
from tuopin.areas.models import Area
from tuopin.supervision.choices import DeputyLevel
from tuopin.supervision.models import Deputy, Office


@pytest.fixture
def offices(alxa: Any) -> dict[str, Office]:
    right = Area.objects.get(code=RIGHT_BANNER)
    return {
        "league_bureau": Office.objects.create(
            name="阿拉善盟乡村振兴局", area=Area.objects.get(code=ALXA)
        ),
        "right_bureau": Office.objects.create(name="阿拉善右旗乡村振兴局", area=right),
        "right_health": Office.objects.create(name="阿拉善右旗卫生健康委员会", area=right),
        "ejina_edu": Office.objects.create(
            name="额济纳旗教育局", area=Area.objects.get(code=EJINA)
        ),
    }


@pytest.fixture
def deputy_user(alxa: Any, make_user: Any) -> Any:
    return make_user("deputy_bayar", ("deputy", RIGHT_BANNER))


@pytest.fixture
def deputy(deputy_user: Any) -> Deputy:
    return Deputy.objects.create(
        name="巴依尔",
        level=DeputyLevel.REGION,
        area=Area.objects.get(code=RIGHT_BANNER),
        user=deputy_user,
    )


@pytest.fixture
def other_deputy(alxa: Any) -> Deputy:
    return Deputy.objects.create(
        name="乌云其木格", level=DeputyLevel.BANNER, area=Area.objects.get(code=EJINA)
    )


@pytest.fixture
def discipline(alxa: Any, make_user: Any) -> Any:
    return make_user("jiwei_league", ("discipline", ALXA))


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence goes under ``DATA_DIR``; tests keep theirs out of the real one."""
    settings.DATA_DIR = tmp_path
