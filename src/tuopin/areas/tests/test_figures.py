from __future__ import annotations

import io

import pytest

from conftest import BADANJILIN, EJINA, EKENHUDUGE, RIGHT_BANNER
from tuopin.areas.models import AreaYearFigure
from tuopin.areas.selectors import population_figures
from tuopin.areas.services import area_figure_set, area_figures_import
from tuopin.core.errors import ConcurrentEdit, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.core.tabular import FileRefused, read_csv


def test_setting_a_figure_is_audited_with_its_change(area, banner_officer):
    gaqa = area(EKENHUDUGE)
    area_figure_set(actor=banner_officer, area=gaqa, year=2024, rural_population=300)
    figure = area_figure_set(actor=banner_officer, area=gaqa, year=2024, rural_population=310)
    assert figure.version == 2
    entry = AuditEntry.objects.filter(action="areas.figure.updated").get()
    assert entry.diff == {"rural_population": [300, 310]}
    assert entry.actor == banner_officer
    assert entry.area_code == EKENHUDUGE


def test_a_stale_edit_is_refused_and_overwrites_nothing(area, banner_officer):
    gaqa = area(EKENHUDUGE)
    loaded = area_figure_set(actor=banner_officer, area=gaqa, year=2024, rural_population=300)
    area_figure_set(
        actor=banner_officer,
        area=gaqa,
        year=2024,
        rural_population=305,
        expected_version=loaded.version,
    )
    with pytest.raises(ConcurrentEdit):
        area_figure_set(
            actor=banner_officer,
            area=gaqa,
            year=2024,
            rural_population=999,
            expected_version=loaded.version,
        )
    assert AreaYearFigure.objects.get(area=gaqa, year=2024).rural_population == 305


def test_an_officer_cannot_set_figures_outside_their_banner(area, banner_officer):
    with pytest.raises(PermissionDenied):
        area_figure_set(actor=banner_officer, area=area(EJINA), year=2024, rural_population=1)
    assert not AreaYearFigure.objects.exists()


def test_roles_without_the_capability_cannot_set_figures(area, analyst, supervisor, gaqa_cadre):
    for user in (analyst, supervisor, gaqa_cadre):
        with pytest.raises(PermissionDenied):
            area_figure_set(actor=user, area=area(BADANJILIN), year=2024, rural_population=1)


def test_population_rolls_up_from_gaqa_to_banner(area, banner_officer):
    right = area(RIGHT_BANNER)
    area_figure_set(actor=None, area=area(EKENHUDUGE), year=2024, rural_population=100)
    area_figure_set(actor=None, area=area("152922103202"), year=2024, rural_population=50)
    figures = population_figures(user=banner_officer, root=right)
    assert figures.year == 2024
    assert figures.of(area(BADANJILIN)) == 150
    assert figures.of(right) == 150
    assert area(BADANJILIN).id in figures.partial  # other gaqa of the town have no figure
    area_figure_set(actor=None, area=area(BADANJILIN), year=2024, rural_population=2000)
    assert population_figures(user=banner_officer, root=right).of(right) == 2000


def test_population_figures_of_another_banner_are_invisible(area, ejina_officer):
    area_figure_set(actor=None, area=area(EKENHUDUGE), year=2024, rural_population=100)
    assert population_figures(user=ejina_officer, root=area(RIGHT_BANNER)).by_area == {}


def _rows(text: str):
    return read_csv(io.BytesIO(text.encode("utf-8")))[1]


def test_figures_import_is_all_or_nothing_and_names_rows(area, banner_officer):
    text = (
        "code,year,rural_population\n"
        f"{EKENHUDUGE},2024,300\n"
        f"{EJINA},2024,500\n"
        f"{BADANJILIN},20x4,500\n"
        f"{BADANJILIN},2024,-5\n"
    )
    with pytest.raises(FileRefused) as refused:
        area_figures_import(actor=banner_officer, rows=_rows(text))
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (3, "code"),
        (4, "year"),
        (5, "rural_population"),
    }
    assert not AreaYearFigure.objects.exists()


def test_importing_the_same_figures_twice_changes_nothing(area, banner_officer):
    text = f'code,year,rural_population\n{EKENHUDUGE},2024,"1,300"\n'
    assert area_figures_import(actor=banner_officer, rows=_rows(text)) == 1
    assert area_figures_import(actor=banner_officer, rows=_rows(text)) == 0
    assert AreaYearFigure.objects.get().rural_population == 1300
