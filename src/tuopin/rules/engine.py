"""Running the rule definitions: one household in Python, or a whole table in DuckDB.

Both executions read the same ``definitions`` and render the same sentences, so for the same
inputs they give the same values and the same reasons, character for character.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuopin.rules import definitions as d
from tuopin.rules.expr import Col, Compiler, Expr, Row, evaluate, sql_literal

Translate = Callable[[str], str]


@dataclass(frozen=True)
class RuleParams:
    """The policy values one evaluation uses; money in cents.

    ``threshold`` is ``None`` when no monitoring threshold is in force for the year. The
    ``*_from_year`` fields name the year a value was set for: when it is not ``year``, the
    value is carried forward and the reasons say so.
    """

    year: int
    as_of: datetime.date
    poverty_line: int
    line_from_year: int
    threshold: int | None
    threshold_from_year: int | None
    elimination_min_months: int
    elimination_min_measures: int

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in d.PARAMETERS}


@dataclass
class Evaluation:
    """What the rules say about one household."""

    values: dict[str, Any]
    guarantees_failed: list[str]
    reason_codes: list[str]
    reasons: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


# --- formatting shared by both executions ------------------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _money(cents: int) -> str:
    return format(Decimal(cents).scaleb(-2), ",.2f")


def _amount(cents: int) -> str:
    return f"{cents // 100:,}" if cents % 100 == 0 else _money(cents)


def format_arg(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "money":
        return _money(value)
    if kind == "amount":
        return _amount(value)
    if kind == "date":
        return value.isoformat()
    return str(value)


def _sql_format(kind: str, sql: str) -> str:
    if kind == "money":
        return f"format('{{:,.2f}}', ({sql}) / 100.0)"
    if kind == "amount":
        return (
            f"(CASE WHEN ({sql}) % 100 = 0 THEN format('{{:,}}', ({sql}) // 100) "
            f"ELSE format('{{:,.2f}}', ({sql}) / 100.0) END)"
        )
    return f"CAST({sql} AS VARCHAR)"


def _pieces(template: str) -> list[tuple[bool, str]]:
    """The template as (is_placeholder, text) pieces."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        pieces.append((False, template[position : match.start()].replace("%%", "%")))
        pieces.append((True, match.group(1)))
        position = match.end()
    pieces.append((False, template[position:].replace("%%", "%")))
    return [piece for piece in pieces if piece[0] or piece[1]]


def render(template: str, values: Mapping[str, str]) -> str:
    return "".join(values[text] if is_arg else text for is_arg, text in _pieces(template))


def reason_mask(codes: Iterable[str]) -> int:
    """The reasons as one integer: bit ``i`` set when ``REASONS[i]`` applies."""
    wanted = set(codes)
    return sum(1 << bit for bit, reason in enumerate(d.REASONS) if reason.code in wanted)


def reason_codes(mask: int) -> list[str]:
    return [reason.code for bit, reason in enumerate(d.REASONS) if mask >> bit & 1]


# --- one household -----------------------------------------------------------------------------


def evaluate_household(
    columns: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    params: RuleParams,
    *,
    translate: Translate,
) -> Evaluation:
    """The rules for one household: ``columns`` as ``INPUT_COLUMNS``, each member as
    ``MEMBER_COLUMNS``, reasons in the language ``translate`` gives."""
    row = Row(columns=dict(columns), members=members, params=params.as_dict())
    for name, expr in d.OUTPUTS:
        row.columns[name] = evaluate(expr, row)
    failed = [code for code, output in d.GUARANTEES if row.columns[output] is True]
    codes: list[str] = []
    reasons: list[str] = []
    for reason in d.REASONS:
        if evaluate(reason.when, row) is not True:
            continue
        codes.append(reason.code)
        args = {name: format_arg(kind, evaluate(e, row)) for name, kind, e in reason.args}
        reasons.append(render(translate(reason.message), args))
    return Evaluation(
        values=row.columns, guarantees_failed=failed, reason_codes=codes, reasons=reasons
    )


# --- a whole table -----------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


PARAM_PREFIX = "p_"


def _depths(outputs: Sequence[tuple[str, Expr]]) -> dict[str, int]:
    """How many layers below each output are: 1 + the deepest output it reads."""
    names = {name for name, _ in outputs}
    depth: dict[str, int] = {}

    def reads(expr: Any) -> Iterable[str]:
        if isinstance(expr, Col) and expr.name in names:
            yield expr.name
        if isinstance(expr, Expr):
            for value in vars(expr).values():
                yield from reads(value)
        elif isinstance(expr, tuple):
            for value in expr:
                yield from reads(value)

    for name, expr in outputs:
        depth[name] = 1 + max((depth[r] for r in reads(expr)), default=0)
    return depth


@dataclass(frozen=True)
class CompiledRules:
    sql: str


def compile_rules(
    *,
    households: str,
    members: str,
    params: str,
    as_of: datetime.date,
    translate: Translate,
    text: bool = True,
) -> CompiledRules:
    """One DuckDB query evaluating every household of the relation ``households``.

    ``households`` has ``hh_key``, ``policy_key`` and the ``INPUT_COLUMNS``; ``members`` has
    ``hh_key`` and the ``MEMBER_COLUMNS``; ``params`` one row per ``policy_key`` with the
    ``PARAMETERS`` (all of whose ``as_of`` must equal ``as_of``). The result has ``hh_key``,
    ``household_code``, every output, ``guarantees_failed``, and ``reason_codes`` and the
    rendered ``reasons``; or, with ``text=False``, ``reason_mask`` alone (see
    ``reason_mask``), which the sweep stores and a page renders in its reader's language.
    """
    compiler = Compiler(
        columns=_quote,
        params=lambda name: _quote(PARAM_PREFIX + name),
        member_constants={"as_of": as_of},
    )
    depth = _depths(d.OUTPUTS)
    layers: dict[int, list[str]] = {}
    for name, expr in d.OUTPUTS:
        layers.setdefault(depth[name], []).append(f"{compiler.sql(expr)} AS {_quote(name)}")

    fails = [
        f"CASE WHEN {_quote(output)} THEN {sql_literal(code)} END" for code, output in d.GUARANTEES
    ]
    reason_codes: list[str] = []
    reason_texts: list[str] = []
    reason_bits: list[str] = []
    for bit, reason in enumerate(d.REASONS):
        when = f"coalesce({compiler.sql(reason.when)}, FALSE)"
        reason_bits.append(f"CASE WHEN {when} THEN {1 << bit} ELSE 0 END")
        if not text:
            continue
        args = {name: _sql_format(kind, compiler.sql(e)) for name, kind, e in reason.args}
        parts = [
            f"coalesce({args[text]}, '')" if is_arg else sql_literal(text)
            for is_arg, text in _pieces(translate(reason.message))
        ]
        reason_codes.append(f"CASE WHEN {when} THEN {sql_literal(reason.code)} END")
        reason_texts.append(f"CASE WHEN {when} THEN concat({', '.join(parts)}) END")

    aggregates = ", ".join(f"{sql} AS {alias}" for alias, sql in compiler.member_aggregates)
    param_columns = ", ".join(
        f"prm.{_quote(name)} AS {_quote(PARAM_PREFIX + name)}" for name in d.PARAMETERS
    )
    ctes = [
        f"ma AS (SELECT m.hh_key, {aggregates} FROM {members} AS m GROUP BY m.hh_key)",
        "l0 AS (SELECT h.*, ma.* EXCLUDE (hh_key), "
        f"{param_columns} FROM {households} AS h "
        f"JOIN {params} AS prm ON prm.policy_key = h.policy_key "
        "LEFT JOIN ma ON ma.hh_key = h.hh_key)",
    ]
    last = 0
    for level in sorted(layers):
        ctes.append(f"l{level} AS (SELECT *, {', '.join(layers[level])} FROM l{last})")
        last = level
    guarantee_sep = sql_literal(d.GUARANTEE_SEPARATOR)
    reason_sep = sql_literal(d.REASON_SEPARATOR)
    outputs = ", ".join(_quote(name) for name, _ in d.OUTPUTS)
    if text:
        reasons = (
            f"list_filter([{', '.join(reason_codes)}], lambda x: x IS NOT NULL) AS reason_codes, "
            f"concat_ws({reason_sep}, {', '.join(reason_texts)}) AS reasons "
        )
    else:
        reasons = f"CAST({' + '.join(reason_bits)} AS BIGINT) AS reason_mask "
    select = (
        f"SELECT hh_key, household_code, {outputs}, "
        f"{PARAM_PREFIX}poverty_line AS poverty_line, {PARAM_PREFIX}threshold AS threshold, "
        f"concat_ws({guarantee_sep}, {', '.join(fails)}) AS guarantees_failed, "
        f"{reasons}FROM l{last}"
    )
    sql = "WITH " + ",\n".join(ctes) + "\n" + select
    return CompiledRules(sql=sql)
