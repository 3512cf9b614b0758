"""A small expression language in which the rules are written once and run twice.

An expression is a tree of nodes. ``evaluate`` computes it for one household in Python;
``Compiler`` turns it into DuckDB SQL that computes it for every household at once. Both
follow SQL's three-valued logic: a comparison with an unknown (``None``/``NULL``) value is
unknown, ``AND`` is false as soon as one side is false, ``OR`` true as soon as one side is
true, and a condition that is unknown does not hold (``If`` takes its ``else`` branch).

Money is integer cents and division rounds half away from zero, so the two executions agree
to the cent with no floating point involved. This module imports nothing from Django.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# --- nodes -------------------------------------------------------------------------------------


class Expr:
    """Base of every node; the operators build comparison nodes."""

    def __lt__(self, other: Any) -> Expr:  # type: ignore[override]
        return Compare("<", self, lit(other))

    def __le__(self, other: Any) -> Expr:  # type: ignore[override]
        return Compare("<=", self, lit(other))

    def __gt__(self, other: Any) -> Expr:  # type: ignore[override]
        return Compare(">", self, lit(other))

    def __ge__(self, other: Any) -> Expr:  # type: ignore[override]
        return Compare(">=", self, lit(other))

    def eq(self, other: Any) -> Expr:
        return Compare("=", self, lit(other))

    def ne(self, other: Any) -> Expr:
        return Compare("<>", self, lit(other))

    def __add__(self, other: Any) -> Expr:
        return Arith("+", self, lit(other))

    def __sub__(self, other: Any) -> Expr:
        return Arith("-", self, lit(other))

    def __and__(self, other: Any) -> Expr:
        return And((self, lit(other)))

    def __or__(self, other: Any) -> Expr:
        return Or((self, lit(other)))

    def __invert__(self) -> Expr:
        return Not(self)

    def isin(self, values: Sequence[Any]) -> Expr:
        return In(self, tuple(values))

    def is_null(self) -> Expr:
        return IsNull(self)


@dataclass(frozen=True, eq=False)
class Lit(Expr):
    value: Any


@dataclass(frozen=True, eq=False)
class Col(Expr):
    """A column of the household row (an input, or an output defined earlier)."""

    name: str


@dataclass(frozen=True, eq=False)
class Param(Expr):
    """A policy parameter of the evaluation (the line, the threshold, the as-of date …)."""

    name: str


@dataclass(frozen=True, eq=False)
class MemberCol(Expr):
    """A column of one member row; only inside ``AnyMember``/``CountMembers``."""

    name: str


@dataclass(frozen=True, eq=False)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Arith(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class And(Expr):
    parts: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Or(Expr):
    parts: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Not(Expr):
    part: Expr


@dataclass(frozen=True, eq=False)
class In(Expr):
    part: Expr
    values: tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class IsNull(Expr):
    part: Expr


@dataclass(frozen=True, eq=False)
class Coalesce(Expr):
    """The first known value; plain Python values among ``parts`` are literals."""

    parts: tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class If(Expr):
    """The first branch whose condition holds, else ``default``: SQL's searched CASE."""

    branches: tuple[tuple[Expr, Expr], ...]
    default: Expr


@dataclass(frozen=True, eq=False)
class RoundDiv(Expr):
    """Integer division rounded half away from zero; unknown when the divisor is 0."""

    numerator: Expr
    denominator: Expr


@dataclass(frozen=True, eq=False)
class AddMonths(Expr):
    """A date plus whole months, clamped to the month's end (31 Aug + 6 months = 28 Feb)."""

    date: Expr
    months: Expr


@dataclass(frozen=True, eq=False)
class AgeOn(Expr):
    """Completed years of age on a date (a birthday on 29 Feb falls on 1 Mar in other years)."""

    birth_date: Expr
    on: Expr


@dataclass(frozen=True, eq=False)
class AnyMember(Expr):
    """Whether any member row satisfies the condition (false for no members)."""

    condition: Expr


@dataclass(frozen=True, eq=False)
class CountMembers(Expr):
    """How many member rows satisfy the condition (all of them for ``None``)."""

    condition: Expr | None = None


def lit(value: Any) -> Expr:
    return value if isinstance(value, Expr) else Lit(value)


def all_of(*parts: Expr) -> Expr:
    return And(tuple(parts))


def any_of(*parts: Expr) -> Expr:
    return Or(tuple(parts))


def case(*branches: tuple[Expr, Any], default: Any = None) -> Expr:
    return If(tuple((cond, lit(value)) for cond, value in branches), lit(default))


# --- Python execution --------------------------------------------------------------------------


def round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def age_on(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
}


@dataclass
class Row:
    """What ``evaluate`` reads: the household's columns, its members, the parameters."""

    columns: dict[str, Any]
    members: Sequence[Mapping[str, Any]]
    params: Mapping[str, Any]


def evaluate(expr: Expr, row: Row, member: Mapping[str, Any] | None = None) -> Any:
    match expr:
        case Lit(value):
            return value
        case Col(name):
            return row.columns[name]
        case Param(name):
            return row.params[name]
        case MemberCol(name):
            if member is None:
                raise ValueError(f"member column {name} outside a member aggregate")
            return member[name]
        case Compare(op, left, right):
            a, b = evaluate(left, row, member), evaluate(right, row, member)
            if a is None or b is None:
                return None
            return _COMPARE[op](a, b)
        case Arith(op, left, right):
            a, b = evaluate(left, row, member), evaluate(right, row, member)
            if a is None or b is None:
                return None
            return a + b if op == "+" else a - b
        case And(parts):
            unknown = False
            for part in parts:
                value = evaluate(part, row, member)
                if value is False:
                    return False
                unknown = unknown or value is None
            return None if unknown else True
        case Or(parts):
            unknown = False
            for part in parts:
                value = evaluate(part, row, member)
                if value is True:
                    return True
                unknown = unknown or value is None
            return None if unknown else False
        case Not(part):
            value = evaluate(part, row, member)
            return None if value is None else not value
        case In(part, values):
            value = evaluate(part, row, member)
            return None if value is None else value in values
        case IsNull(part):
            return evaluate(part, row, member) is None
        case Coalesce(parts):
            for part in parts:
                value = evaluate(lit(part), row, member)
                if value is not None:
                    return value
            return None
        case If(branches, default):
            for condition, value in branches:
                if evaluate(condition, row, member) is True:
                    return evaluate(value, row, member)
            return evaluate(default, row, member)
        case RoundDiv(numerator, denominator):
            n, d = evaluate(numerator, row, member), evaluate(denominator, row, member)
            if n is None or d is None or d == 0:
                return None
            return round_div(n, d)
        case AddMonths(date, months):
            day, count = evaluate(date, row, member), evaluate(months, row, member)
            if day is None or count is None:
                return None
            return add_months(day, int(count))
        case AgeOn(birth_date, on):
            birth, day = evaluate(birth_date, row, member), evaluate(on, row, member)
            if birth is None or day is None:
                return None
            return age_on(birth, day)
        case AnyMember(condition):
            return any(evaluate(condition, row, m) is True for m in row.members)
        case CountMembers(condition):
            if condition is None:
                return len(row.members)
            return sum(1 for m in row.members if evaluate(condition, row, m) is True)
    raise TypeError(f"not an expression: {expr!r}")


# --- SQL compilation ---------------------------------------------------------------------------


def sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


class Compiler:
    """Compiles expressions to DuckDB SQL over a household relation ``h``.

    Parameters are read from the relation too (one column per parameter, joined in by the
    caller), so one query can evaluate households under different policies. Member
    aggregates become columns of a per-household aggregate over the member relation; the
    compiler collects them in ``member_aggregates`` as ``(alias, sql)`` for the caller to
    compute once. Parameters read inside a member condition come from
    ``member_constants``.
    """

    def __init__(
        self,
        *,
        columns: Callable[[str], str],
        params: Callable[[str], str],
        member_constants: Mapping[str, Any],
    ) -> None:
        self.columns = columns
        self.params = params
        self.member_constants = member_constants
        self.member_aggregates: list[tuple[str, str]] = []
        self._aggregate_alias: dict[str, str] = {}

    def _aggregate(self, sql: str) -> str:
        alias = self._aggregate_alias.get(sql)
        if alias is None:
            alias = f"agg_{len(self.member_aggregates)}"
            self._aggregate_alias[sql] = alias
            self.member_aggregates.append((alias, sql))
        return alias

    def sql(self, expr: Expr, *, in_member: bool = False) -> str:
        s = self.sql
        match expr:
            case Lit(value):
                return sql_literal(value)
            case Col(name):
                if in_member:
                    raise ValueError(
                        "household columns inside a member condition are not supported"
                    )
                return self.columns(name)
            case Param(name):
                if in_member:
                    # Member conditions are aggregated apart from the households, so the
                    # parameters they read (the as-of date) must be one value per query.
                    return sql_literal(self.member_constants[name])
                return self.params(name)
            case MemberCol(name):
                if not in_member:
                    raise ValueError(f"member column {name} outside a member aggregate")
                return f"m.{name}"
            case Compare(op, left, right):
                return f"({s(left, in_member=in_member)} {op} {s(right, in_member=in_member)})"
            case Arith(op, left, right):
                return f"({s(left, in_member=in_member)} {op} {s(right, in_member=in_member)})"
            case And(parts):
                return "(" + " AND ".join(s(p, in_member=in_member) for p in parts) + ")"
            case Or(parts):
                return "(" + " OR ".join(s(p, in_member=in_member) for p in parts) + ")"
            case Not(part):
                return f"(NOT {s(part, in_member=in_member)})"
            case In(part, values):
                listed = ", ".join(sql_literal(v) for v in values)
                return f"({s(part, in_member=in_member)} IN ({listed}))"
            case IsNull(part):
                return f"({s(part, in_member=in_member)} IS NULL)"
            case Coalesce(parts):
                return "coalesce(" + ", ".join(s(lit(p), in_member=in_member) for p in parts) + ")"
            case If(branches, default):
                whens = " ".join(
                    f"WHEN {s(c, in_member=in_member)} THEN {s(v, in_member=in_member)}"
                    for c, v in branches
                )
                return f"(CASE {whens} ELSE {s(default, in_member=in_member)} END)"
            case RoundDiv(numerator, denominator):
                n, d = s(numerator, in_member=in_member), s(denominator, in_member=in_member)
                return (
                    f"(CASE WHEN {d} = 0 THEN NULL ELSE "
                    f"sign({n}) * sign({d}) * ((2 * abs({n}) + abs({d})) // (2 * abs({d}))) END)"
                )
            case AddMonths(date, months):
                d, n = s(date, in_member=in_member), s(months, in_member=in_member)
                return f"CAST({d} + to_months(CAST({n} AS INTEGER)) AS DATE)"
            case AgeOn(birth_date, on):
                b, d = s(birth_date, in_member=in_member), s(on, in_member=in_member)
                return (
                    f"(year({d}) - year({b}) - CASE WHEN month({d}) * 100 + day({d}) "
                    f"< month({b}) * 100 + day({b}) THEN 1 ELSE 0 END)"
                )
            case AnyMember(condition):
                alias = self._aggregate(f"count_if({s(condition, in_member=True)}) > 0")
                return f"coalesce({alias}, FALSE)"
            case CountMembers(condition):
                inner = (
                    "count(*)" if condition is None else f"count_if({s(condition, in_member=True)})"
                )
                alias = self._aggregate(inner)
                return f"coalesce({alias}, 0)"
        raise TypeError(f"not an expression: {expr!r}")
