"""Writes to the area tree and its yearly figures. Each one is checked, audited, atomic."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers_everything, require
from tuopin.areas.choices import Kind, Level, Provenance, level_rank
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.areas.names import to_hant, to_latn
from tuopin.areas.selectors import area_queryset
from tuopin.core.audit import diff_of, log_action, log_many, snapshot
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from tuopin.core.tabular import FileRefused, Row, RowError, read_csv, require_columns

REFERENCE_TREE = Path(__file__).resolve().parent / "data" / "alxa_areas.csv"

TREE_COLUMNS = ["code", "parent_code", "level", "name"]
OPTIONAL_TREE_COLUMNS = [
    "kind",
    "name_zh_hant",
    "name_latn",
    "provenance",
    "status",
    "successor_code",
]
_AREA_FIELDS = [
    "parent_id",
    "level",
    "kind",
    "name",
    "name_zh_hant",
    "name_latn",
    "provenance",
    "is_active",
    "successor_id",
]
_CODE = re.compile(r"^\d{12}$")

# Kind guessed from the end of the name when a file gives none.
_KIND_BY_SUFFIX = [
    ("街道办事处", Kind.SUBDISTRICT),
    ("街道", Kind.SUBDISTRICT),
    ("开发区", Kind.DEVELOPMENT_ZONE),
    ("苏木", Kind.SUMU),
    ("嘎查", Kind.GAQA),
    ("社区", Kind.COMMUNITY),
    ("村", Kind.VILLAGE),
    ("镇", Kind.TOWN),
    ("乡", Kind.TOWNSHIP),
    ("盟", Kind.LEAGUE),
    ("市", Kind.CITY),
    ("旗", Kind.BANNER),
    ("县", Kind.COUNTY),
    ("组", Kind.GROUP),
]
_DEFAULT_KIND = {
    Level.PROVINCE: Kind.PROVINCE,
    Level.LEAGUE: Kind.LEAGUE,
    Level.BANNER: Kind.BANNER,
    Level.SUMU_TOWN: Kind.OTHER,
    Level.VILLAGE: Kind.VILLAGE,
    Level.GROUP: Kind.GROUP,
}


def _guess_kind(level: str, name: str) -> str:
    for suffix, kind in _KIND_BY_SUFFIX:
        if name.endswith(suffix):
            return kind
    return _DEFAULT_KIND[Level(level)]


@dataclass
class TreeChangeReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    moved_children: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.merged or self.moved_children)


def renumber_tree() -> int:
    """Recompute ``lft``, ``rgt`` and ``depth`` for the whole tree; returns rows changed.

    One read of (id, parent) and a bulk update of what moved: tree changes are rare
    (yearly division changes), subtree reads are constant.
    """
    rows = list(Area.objects.order_by("code").values_list("id", "parent_id", "lft", "rgt", "depth"))
    children: dict[int | None, list[int]] = defaultdict(list)
    current = {}
    for area_id, parent_id, lft, rgt, depth in rows:
        children[parent_id].append(area_id)
        current[area_id] = (lft, rgt, depth)
    numbering: dict[int, tuple[int, int, int]] = {}
    counter = 0
    stack: list[tuple[int, int, bool]] = [(root, 0, False) for root in reversed(children[None])]
    lefts: dict[int, int] = {}
    while stack:
        area_id, depth, done = stack.pop()
        counter += 1
        if done:
            numbering[area_id] = (lefts[area_id], counter, depth)
            continue
        lefts[area_id] = counter
        stack.append((area_id, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(children[area_id]))
    if len(numbering) != len(rows):
        raise RuntimeError("the area tree holds a cycle or an unreachable area")
    changed = [
        (lft, rgt, depth, area_id)
        for area_id, (lft, rgt, depth) in numbering.items()
        if current[area_id] != (lft, rgt, depth)
    ]
    if changed:
        # executemany, not bulk_update: a CASE per row is slow on a national tree.
        # lft is unconstrained, so the transient overlaps between rows are harmless.
        table = connection.ops.quote_name(Area._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET lft = %s, rgt = %s, depth = %s WHERE id = %s",  # noqa: S608
                changed,
            )
    return len(changed)


def read_tree_file(path: str | Path) -> list[Row]:
    """The rows of an area file (CSV), refusing it when a required column is missing."""
    header, rows = read_csv(path)
    errors = require_columns(header, TREE_COLUMNS)
    if errors:
        raise FileRefused(errors)
    return rows


def _validate_tree_rows(rows: Sequence[Row]) -> tuple[list[dict[str, Any]], list[RowError]]:
    errors: list[RowError] = []
    clean: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    file_levels: dict[str, str] = {}
    for row in rows:
        v = row.values
        code = v.get("code", "")
        before = len(errors)
        if not _CODE.match(code):
            errors.append(
                RowError(row.number, "code", code, _("An area code has exactly 12 digits."))
            )
        elif code in seen:
            errors.append(
                RowError(
                    row.number,
                    "code",
                    code,
                    _("This code already stands on row %(row)s.") % {"row": seen[code]},
                )
            )
        parent_code = v.get("parent_code", "")
        if parent_code and not _CODE.match(parent_code):
            errors.append(
                RowError(
                    row.number, "parent_code", parent_code, _("An area code has exactly 12 digits.")
                )
            )
        if parent_code and parent_code == code:
            errors.append(
                RowError(
                    row.number, "parent_code", parent_code, _("An area cannot be its own parent.")
                )
            )
        level = v.get("level", "")
        if level not in Level.values:
            errors.append(
                RowError(
                    row.number,
                    "level",
                    level,
                    _("Unknown level; use one of: %(choices)s.")
                    % {"choices": ", ".join(Level.values)},
                )
            )
        name = v.get("name", "")
        if not name:
            errors.append(RowError(row.number, "name", name, _("A name is required.")))
        kind = v.get("kind", "")
        if kind and kind not in Kind.values:
            errors.append(
                RowError(
                    row.number,
                    "kind",
                    kind,
                    _("Unknown kind; use one of: %(choices)s.")
                    % {"choices": ", ".join(Kind.values)},
                )
            )
        provenance = v.get("provenance", "") or Provenance.OFFICIAL
        if provenance not in Provenance.values:
            errors.append(
                RowError(
                    row.number,
                    "provenance",
                    provenance,
                    _("Unknown provenance; use one of: %(choices)s.")
                    % {"choices": ", ".join(Provenance.values)},
                )
            )
        status = v.get("status", "") or "active"
        if status not in {"active", "abolished"}:
            errors.append(
                RowError(row.number, "status", status, _("Status is either active or abolished."))
            )
        successor_code = v.get("successor_code", "")
        if successor_code and status != "abolished":
            errors.append(
                RowError(
                    row.number,
                    "successor_code",
                    successor_code,
                    _("Only an abolished area can be merged into another."),
                )
            )
        if len(errors) > before:
            continue
        seen[code] = row.number
        file_levels[code] = level
        clean.append(
            {
                "row": row.number,
                "code": code,
                "parent_code": parent_code,
                "level": level,
                "kind": kind or _guess_kind(level, name),
                "name": name,
                "name_zh_hant": v.get("name_zh_hant", "") or to_hant(name),
                "name_latn": v.get("name_latn", "") or to_latn(name),
                "provenance": provenance,
                "is_active": status == "active",
                "successor_code": successor_code,
            }
        )
    return clean, errors


def _check_references(clean: list[dict[str, Any]], known: dict[str, Area]) -> list[RowError]:
    errors: list[RowError] = []
    levels = {code: area.level for code, area in known.items()}
    levels.update({item["code"]: item["level"] for item in clean})
    parents = {code: (area.parent.code if area.parent_id else "") for code, area in known.items()}
    parents.update({item["code"]: item["parent_code"] for item in clean})
    for item in clean:
        parent_code = item["parent_code"]
        if parent_code:
            if parent_code not in levels:
                errors.append(
                    RowError(item["row"], "parent_code", parent_code, _("No area has this code."))
                )
            elif level_rank(levels[parent_code]) >= level_rank(item["level"]):
                errors.append(
                    RowError(
                        item["row"],
                        "parent_code",
                        parent_code,
                        _("The parent must stand at a higher level than %(level)s.")
                        % {"level": Level(item["level"]).label},
                    )
                )
        successor = item["successor_code"]
        if successor and (successor not in levels or successor == item["code"]):
            errors.append(
                RowError(
                    item["row"], "successor_code", successor, _("No other area has this code.")
                )
            )
    # A move under one's own descendant would make a cycle.
    for item in clean:
        seen = {item["code"]}
        cursor = parents.get(item["code"], "")
        while cursor:
            if cursor in seen:
                errors.append(
                    RowError(
                        item["row"],
                        "parent_code",
                        item["parent_code"],
                        _("This parent lies below the area itself."),
                    )
                )
                break
            seen.add(cursor)
            cursor = parents.get(cursor, "")
    return errors


def _apply_merges(
    actor: Any, clean: list[dict[str, Any]], known: dict[str, Area], report: TreeChangeReport
) -> None:
    """Mark merged areas and hand their children (those the file does not place) over."""
    listed = {i["code"] for i in clean}
    for item in clean:
        if not item["successor_code"]:
            continue
        area, successor = known[item["code"]], known[item["successor_code"]]
        if area.successor_id == successor.id:
            continue
        area.successor = successor
        area.is_active = False
        area.save(update_fields=["successor", "is_active"])
        report.merged.append(area.code)
        log_action(
            actor=actor,
            action="areas.area.merged",
            obj=area,
            area_code=area.code,
            diff={"successor": [None, successor.code]},
        )
        for child in area.children.filter(is_active=True).exclude(code__in=listed):
            child.parent = successor
            child.save(update_fields=["parent"])
            report.moved_children.append(child.code)
            log_action(
                actor=actor,
                action="areas.area.moved",
                obj=child,
                area_code=child.code,
                diff={"parent": [area.code, successor.code]},
            )


@transaction.atomic
def areas_apply_changes(
    *, actor: Any, rows: Sequence[Row], dry_run: bool = False
) -> TreeChangeReport:
    """Apply a division-change file: new units, renames, moves, abolitions and merges.

    Areas not in the file stay as they are; none is ever deleted. A merged area becomes
    inactive, records its successor, and hands its children to the successor, so that
    everything hanging off it keeps a place. All or nothing: one bad row refuses the file.
    """
    if actor is not None and not covers_everything(actor, Capability.MANAGE_AREAS):
        raise PermissionDenied(
            "permission_denied", _("Only a system administrator may change the area tree.")
        )
    clean, errors = _validate_tree_rows(rows)
    referenced = {item["code"] for item in clean}
    referenced |= {item["parent_code"] for item in clean if item["parent_code"]}
    referenced |= {item["successor_code"] for item in clean if item["successor_code"]}
    known = {a.code: a for a in Area.objects.filter(code__in=referenced).select_related("parent")}
    errors += _check_references(clean, known)
    if errors:
        raise FileRefused(sorted(errors, key=lambda e: (e.row or 0, e.column)))

    report = TreeChangeReport()
    created: list[tuple[int, str, str, dict[str, Any]]] = []
    # Level by level, so every parent exists (and has an id) when its children are written.
    for rank in sorted({level_rank(i["level"]) for i in clean}):
        batch: list[Area] = []
        for item in sorted(
            (i for i in clean if level_rank(i["level"]) == rank), key=lambda i: i["code"]
        ):
            values = {
                "parent_id": known[item["parent_code"]].id if item["parent_code"] else None,
                "level": item["level"],
                "kind": item["kind"],
                "name": item["name"],
                "name_zh_hant": item["name_zh_hant"],
                "name_latn": item["name_latn"],
                "provenance": item["provenance"],
                "is_active": item["is_active"],
            }
            area = known.get(item["code"])
            if area is None:
                batch.append(Area(code=item["code"], **values))
                continue
            before = snapshot(area, _AREA_FIELDS)
            for name, value in values.items():
                setattr(area, name, value)
            if not item["is_active"] and not item["successor_code"]:
                area.successor_id = None
            changes = diff_of(before, snapshot(area, _AREA_FIELDS))
            if changes:
                area.save()
                report.updated.append(area.code)
                log_action(
                    actor=actor,
                    action="areas.area.updated",
                    obj=area,
                    area_code=area.code,
                    diff=changes,
                )
            else:
                report.unchanged += 1
        for area in Area.objects.bulk_create(batch):
            if area.pk is None:  # a backend that does not return ids
                area = Area.objects.get(code=area.code)  # noqa: PLW2901
            known[area.code] = area
            report.created.append(area.code)
            created.append(
                (
                    area.pk,
                    str(area),
                    area.code,
                    {f: [None, v] for f, v in snapshot(area, _AREA_FIELDS).items()},
                )
            )
    log_many(actor=actor, action="areas.area.created", object_type="areas.area", items=created)

    _apply_merges(actor, clean, known, report)
    if report.changed:
        renumber_tree()
    if dry_run:
        transaction.set_rollback(True)
    return report


def load_reference_tree(*, actor: Any = None) -> TreeChangeReport:
    """Load (or bring up to date) the Alxa tree that ships with Tuopin. Idempotent."""
    return areas_apply_changes(actor=actor, rows=read_tree_file(REFERENCE_TREE))


@transaction.atomic
def area_figure_set(
    *,
    actor: Any,
    area: Area,
    year: int,
    rural_population: int,
    note: str = "",
    is_synthetic: bool = False,
    expected_version: int | None = None,
) -> AreaYearFigure:
    """Record an area's rural registered population for a year.

    ``expected_version`` is the version the user's form was loaded with; if the figure
    changed since, nothing is written and ``ConcurrentEdit`` says so.
    """
    if actor is not None:
        require(actor, Capability.EDIT_AREA_FIGURES, area)
    if not 2000 <= year <= 2100:
        raise DomainError("areas.figure.bad_year", _("A year between 2000 and 2100."), field="year")
    if rural_population < 0:
        raise DomainError(
            "areas.figure.bad_population",
            _("A whole number of people, 0 or more."),
            field="rural_population",
        )
    figure = AreaYearFigure.objects.select_for_update().filter(area=area, year=year).first()
    if figure is None:
        if expected_version not in (None, 0):
            raise ConcurrentEdit(
                "concurrent_edit",
                _("These figures were removed by someone else; reload the page."),
            )
        figure = AreaYearFigure.objects.create(
            area=area,
            year=year,
            rural_population=rural_population,
            note=note,
            is_synthetic=is_synthetic,
        )
        log_action(
            actor=actor,
            action="areas.figure.created",
            obj=figure,
            area_code=area.code,
            diff={"year": [None, year], "rural_population": [None, rural_population]},
        )
        return figure
    if expected_version is not None and expected_version != figure.version:
        raise ConcurrentEdit(
            "concurrent_edit",
            _(
                "Someone else changed these figures while you were editing; nothing was "
                "saved. Reload the page to see their change."
            ),
        )
    fields = ["rural_population", "note", "is_synthetic"]
    before = snapshot(figure, fields)
    figure.rural_population = rural_population
    figure.note = note
    figure.is_synthetic = is_synthetic
    changes = diff_of(before, snapshot(figure, fields))
    if changes:
        figure.version += 1
        figure.save()
        log_action(
            actor=actor,
            action="areas.figure.updated",
            obj=figure,
            area_code=area.code,
            diff=changes,
        )
    return figure


FIGURE_COLUMNS = ["code", "year", "rural_population"]


@transaction.atomic
def area_figures_import(*, actor: Any, rows: Sequence[Row]) -> int:
    """Apply a figures file (``code,year,rural_population[,note]``); all or nothing.

    Returns how many figures changed. Areas outside the actor's grants are refused as
    unknown, so the file learns nothing about them.
    """
    errors: list[RowError] = []
    codes = {row.values.get("code", "") for row in rows}
    scope = (
        Area.objects.all()
        if actor is None
        else area_queryset(user=actor, capability=Capability.EDIT_AREA_FIGURES)
    )
    areas = {a.code: a for a in scope.filter(code__in=codes)}
    parsed: list[tuple[Area, int, int, str]] = []
    for row in rows:
        v = row.values
        area = areas.get(v.get("code", ""))
        if area is None:
            errors.append(
                RowError(
                    row.number, "code", v.get("code", ""), _("No area you may edit has this code.")
                )
            )
        year_text, population_text = (
            v.get("year", ""),
            v.get("rural_population", "").replace(",", ""),
        )
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            errors.append(
                RowError(row.number, "year", year_text, _("A year between 2000 and 2100."))
            )
        if not population_text.isdigit():
            errors.append(
                RowError(
                    row.number,
                    "rural_population",
                    population_text,
                    _("A whole number of people, 0 or more."),
                )
            )
        if area is not None and year_text.isdigit() and population_text.isdigit():
            parsed.append((area, int(year_text), int(population_text), v.get("note", "")))
    if errors:
        raise FileRefused(errors)
    changed = 0
    for area, year, population, note in parsed:
        figure = AreaYearFigure.objects.filter(area=area, year=year).first()
        before = (figure.rural_population, figure.note) if figure else None
        area_figure_set(actor=actor, area=area, year=year, rural_population=population, note=note)
        changed += before != (population, note)
    return changed
