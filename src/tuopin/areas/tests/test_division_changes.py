from __future__ import annotations

import io

import pytest

from conftest import BADANJILIN, EKENHUDUGE, RIGHT_BANNER, YABULAI
from tuopin.accounts.models import Grant
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.areas.services import area_figure_set, areas_apply_changes
from tuopin.core.errors import PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.core.tabular import FileRefused, read_csv


def rows(text: str):
    header = "code,parent_code,level,name,status,successor_code\n"
    return read_csv(io.BytesIO((header + text).encode("utf-8")))[1]


def test_a_new_gaqa_is_created_under_its_town_and_numbered_into_the_tree(area):
    report = areas_apply_changes(
        actor=None, rows=rows(f"152922103299,{BADANJILIN},village,新建嘎查,,\n")
    )
    assert report.created == ["152922103299"]
    new, town = area("152922103299"), area(BADANJILIN)
    assert town.lft < new.lft <= town.rgt
    assert new.kind == "gaqa"
    assert new.name_zh_hant == "新建嘎查"
    assert new.name_latn == "Xinjian Gacha"
    assert AuditEntry.objects.filter(action="areas.area.created", area_code=new.code).exists()


def test_a_rename_keeps_grants_and_figures_hanging_off_the_area(area, make_user):
    gaqa = area(EKENHUDUGE)
    user = make_user("cadre", ("gaqa_cadre", EKENHUDUGE))
    area_figure_set(actor=None, area=gaqa, year=2024, rural_population=321)
    areas_apply_changes(
        actor=None, rows=rows(f"{EKENHUDUGE},{BADANJILIN},village,额肯呼都格新嘎查,,\n")
    )
    gaqa.refresh_from_db()
    assert gaqa.name == "额肯呼都格新嘎查"
    assert Grant.objects.get(user=user).area == gaqa
    assert AreaYearFigure.objects.get(area=gaqa, year=2024).rural_population == 321
    entry = AuditEntry.objects.get(action="areas.area.updated", area_code=EKENHUDUGE)
    assert entry.diff["name"] == ["额肯呼都格嘎查", "额肯呼都格新嘎查"]


def test_a_merge_hands_children_to_the_successor_and_keeps_the_old_unit(area):
    yabulai_children = set(area(YABULAI).children.values_list("code", flat=True))
    report = areas_apply_changes(
        actor=None,
        rows=rows(f"{YABULAI},{RIGHT_BANNER},sumu_town,雅布赖镇,abolished,{BADANJILIN}\n"),
    )
    old, successor = area(YABULAI), area(BADANJILIN)
    assert report.merged == [YABULAI]
    assert not old.is_active
    assert old.successor == successor
    assert set(report.moved_children) == yabulai_children
    moved = Area.objects.filter(code__in=yabulai_children)
    assert all(successor.contains(child) for child in moved)
    assert Area.objects.filter(code=YABULAI).exists()


def test_a_move_under_its_own_descendant_is_refused(area):
    with pytest.raises(FileRefused) as refused:
        areas_apply_changes(
            actor=None, rows=rows(f"{BADANJILIN},{EKENHUDUGE},banner,巴丹吉林镇,,\n")
        )
    assert {e.column for e in refused.value.errors} == {"parent_code"}


def test_a_file_with_any_bad_row_writes_nothing(area):
    before, audited = Area.objects.count(), AuditEntry.objects.count()
    bad = (
        f"152922103298,{BADANJILIN},village,好嘎查,,\n"
        "15292210329,152922103000,village,短代码嘎查,,\n"
        f"152922103297,999999999999,village,无上级嘎查,,\n"
        f"152922103296,{BADANJILIN},town,级别错,,\n"
        f"152922103295,{EKENHUDUGE},sumu_town,倒挂镇,,\n"
    )
    with pytest.raises(FileRefused) as refused:
        areas_apply_changes(actor=None, rows=rows(bad))
    located = {(e.row, e.column) for e in refused.value.errors}
    assert located == {(3, "code"), (4, "parent_code"), (5, "level"), (6, "parent_code")}
    assert Area.objects.count() == before
    assert AuditEntry.objects.count() == audited


def test_only_an_administrator_of_the_whole_tree_changes_it(area, league_officer, admin):
    change = rows(f"152922103299,{BADANJILIN},village,新建嘎查,,\n")
    with pytest.raises(PermissionDenied):
        areas_apply_changes(actor=league_officer, rows=change)
    report = areas_apply_changes(actor=admin, rows=change)
    assert report.created == ["152922103299"]
    assert (
        AuditEntry.objects.get(action="areas.area.created", area_code="152922103299").actor == admin
    )


def test_a_dry_run_reports_but_writes_nothing(area):
    report = areas_apply_changes(
        actor=None, rows=rows(f"152922103299,{BADANJILIN},village,新建嘎查,,\n"), dry_run=True
    )
    assert report.created == ["152922103299"]
    assert not Area.objects.filter(code="152922103299").exists()
