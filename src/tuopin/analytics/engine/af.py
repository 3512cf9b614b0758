"""Alkire–Foster multidimensional poverty and the FGT family, in plain Python.

Alkire & Foster (2011), *Journal of Public Economics* 95: 476–487; OPHI handbook (2015) ch. 5.
Unit ``i`` is deprived in indicator ``j`` when its value is below the cutoff (or equals the
indicator's ``deprived_if``); its score is ``c_i = sum_j w_j g0_ij``; it is poor when
``c_i >= k``. ``H`` is the share poor, ``A`` the mean score of the poor, ``M0 = H × A``;
``M1`` and ``M2`` are the means of the censored normalised gaps and of their squares, given
only when every indicator is cardinal (has a cutoff).

FGT: ``P_alpha = (1/N) sum_poor ((z - y) / z) ** alpha``, poor meaning ``y < z``; Watts and
Sen (original form) as ``methods.md`` defines them. Weights act as frequency weights.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EPSILON = 1e-9
TRUE_WORDS = {"1", "true", "yes", "y", "t", "是"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "否"}


class InputError(ValueError):
    """A value the measure cannot use, with the row (1-based, as a spreadsheet counts data
    rows after the header, i.e. row 2 is the first) and the column."""

    def __init__(self, row: int | None, column: str | None, reason: str) -> None:
        self.row = row
        self.column = column
        self.reason = reason
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


@dataclass(frozen=True)
class AFIndicator:
    """One indicator: deprived when ``value < cutoff`` or when ``value == deprived_if``."""

    column: str
    weight: float
    cutoff: float | None = None
    deprived_if: Any = None

    def __post_init__(self) -> None:
        if (self.cutoff is None) == (self.deprived_if is None):
            raise InputError(
                None, self.column, "an indicator needs exactly one of cutoff or deprived_if"
            )
        if not self.weight > 0:
            raise InputError(None, self.column, "the weight must be positive")
        if self.cutoff is not None and self.cutoff == 0:
            raise InputError(None, self.column, "a cutoff of 0 leaves no gap to normalise")

    @property
    def cardinal(self) -> bool:
        return self.cutoff is not None

    def value(self, raw: Any, row: int | None = None) -> Any:
        """``raw`` (a cell or a Python value) as a number for a cutoff, else as given."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise InputError(row, self.column, "the value is missing")
        if self.cardinal:
            if isinstance(raw, bool):
                return float(raw)
            try:
                number = float(raw)
            except (TypeError, ValueError):
                raise InputError(row, self.column, f"{raw!r} is not a number") from None
            if math.isnan(number):
                raise InputError(row, self.column, "the value is not a number")
            return number
        return raw

    def deprived(self, value: Any) -> bool:
        if self.cutoff is not None:
            return bool(value < self.cutoff)
        return _same(value, self.deprived_if)

    def gap(self, value: float) -> float:
        """The normalised gap ``(z - x) / z`` of a deprived value."""
        assert self.cutoff is not None
        return (self.cutoff - value) / self.cutoff


def _same(value: Any, target: Any) -> bool:
    if isinstance(target, bool):
        if isinstance(value, bool):
            return value is target
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return target is True
        if text in FALSE_WORDS:
            return target is False
        return False
    if isinstance(target, int | float) and not isinstance(value, bool):
        try:
            return float(value) == float(target)
        except (TypeError, ValueError):
            return False
    return str(value).strip() == str(target)


@dataclass
class AFResult:
    n: float
    poor: float
    k: float
    H: float
    A: float
    M0: float
    M1: float | None
    M2: float | None
    uncensored: dict[str, float]
    censored: dict[str, float]
    contributions: dict[str, float]
    by_group: dict[str, AFResult] = field(default_factory=dict)
    population_share: float | None = None
    group_contribution: float | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "poor": self.poor,
            "k": self.k,
            "H": self.H,
            "A": self.A,
            "M0": self.M0,
            "M1": self.M1,
            "M2": self.M2,
            "uncensored": self.uncensored,
            "censored": self.censored,
            "contributions": self.contributions,
        }
        if self.population_share is not None:
            data["population_share"] = self.population_share
            data["contribution"] = self.group_contribution
        if self.by_group:
            data["by_group"] = {g: r.as_dict() for g, r in self.by_group.items()}
        return data


def check_weights(indicators: Sequence[AFIndicator]) -> None:
    if not indicators:
        raise InputError(None, None, "at least one indicator is needed")
    total = sum(i.weight for i in indicators)
    if abs(total - 1.0) > 1e-6:
        raise InputError(None, None, f"the weights sum to {total:g}, not 1")
    columns = [i.column for i in indicators]
    if len(set(columns)) != len(columns):
        raise InputError(None, None, "an indicator column is listed twice")


def equal_weights(columns: Sequence[str]) -> float:
    return 1.0 / len(columns)


@dataclass
class _Unit:
    weight: float
    group: str | None
    deprived: list[bool]
    gaps: list[float]


def _units(
    rows: Iterable[Mapping[str, Any]],
    indicators: Sequence[AFIndicator],
    *,
    group: str | None,
    weight: str | None,
    first_row: int,
) -> list[_Unit]:
    units = []
    for number, row in enumerate(rows, start=first_row):
        deprived, gaps = [], []
        for ind in indicators:
            if ind.column not in row:
                raise InputError(None, ind.column, "no such column")
            value = ind.value(row[ind.column], number)
            is_deprived = ind.deprived(value)
            deprived.append(is_deprived)
            gaps.append(ind.gap(value) if is_deprived and ind.cardinal else 0.0)
        w = 1.0
        if weight is not None:
            try:
                w = float(row[weight])
            except (KeyError, TypeError, ValueError):
                raise InputError(number, weight, "the weight is not a number") from None
            if w < 0 or math.isnan(w):
                raise InputError(number, weight, "the weight is negative")
        g = None
        if group is not None:
            if group not in row:
                raise InputError(None, group, "no such column")
            g = "" if row[group] is None else str(row[group])
        units.append(_Unit(w, g, deprived, gaps))
    return units


def _measure(units: Sequence[_Unit], indicators: Sequence[AFIndicator], k: float) -> AFResult:
    columns = [i.column for i in indicators]
    weights = [i.weight for i in indicators]
    n = sum(u.weight for u in units)
    if n <= 0:
        zeros = dict.fromkeys(columns, 0.0)
        return AFResult(0, 0, k, 0.0, 0.0, 0.0, None, None, zeros, dict(zeros), dict(zeros))
    cardinal = all(i.cardinal for i in indicators)
    poor = score_sum = m1 = m2 = 0.0
    uncensored = dict.fromkeys(columns, 0.0)
    censored = dict.fromkeys(columns, 0.0)
    for u in units:
        score = sum(w for w, d in zip(weights, u.deprived, strict=True) if d)
        for column, d in zip(columns, u.deprived, strict=True):
            if d:
                uncensored[column] += u.weight
        if score + EPSILON >= k and score > 0:
            poor += u.weight
            score_sum += u.weight * score
            for column, d in zip(columns, u.deprived, strict=True):
                if d:
                    censored[column] += u.weight
            if cardinal:
                m1 += u.weight * sum(w * g for w, g in zip(weights, u.gaps, strict=True))
                m2 += u.weight * sum(w * g * g for w, g in zip(weights, u.gaps, strict=True))
    H = poor / n
    A = score_sum / poor if poor else 0.0
    M0 = score_sum / n
    uncensored = {c: v / n for c, v in uncensored.items()}
    censored = {c: v / n for c, v in censored.items()}
    contributions = {
        c: (w * censored[c] / M0 if M0 else 0.0) for c, w in zip(columns, weights, strict=True)
    }
    return AFResult(
        n=n,
        poor=poor,
        k=k,
        H=H,
        A=A,
        M0=M0,
        M1=m1 / n if cardinal else None,
        M2=m2 / n if cardinal else None,
        uncensored=uncensored,
        censored=censored,
        contributions=contributions,
    )


def alkire_foster(
    rows: Iterable[Mapping[str, Any]],
    indicators: Sequence[AFIndicator],
    *,
    k: float,
    group: str | None = None,
    weight: str | None = None,
    first_row: int = 2,
) -> AFResult:
    """The AF measure of ``rows`` (mappings column → value); with ``group``, also for each
    group value, with its population share and its contribution to the total ``M0``."""
    check_weights(indicators)
    if not 0 < k <= 1 + EPSILON:
        raise InputError(None, None, f"k must lie in (0, 1], not {k:g}")
    units = _units(rows, indicators, group=group, weight=weight, first_row=first_row)
    result = _measure(units, indicators, k)
    if group is not None:
        groups: dict[str, list[_Unit]] = {}
        for u in units:
            groups.setdefault(u.group or "", []).append(u)
        for value in sorted(groups):
            sub = _measure(groups[value], indicators, k)
            sub.population_share = sub.n / result.n if result.n else 0.0
            sub.group_contribution = sub.population_share * sub.M0 / result.M0 if result.M0 else 0.0
            result.by_group[value] = sub
    return result


# --- FGT, Watts, Sen ----------------------------------------------------------------------


@dataclass
class FGTResult:
    n: float
    poor: float
    P0: float
    P1: float
    P2: float
    watts: float | None
    sen: float
    by_group: dict[str, FGTResult] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "poor": self.poor,
            "P0": self.P0,
            "P1": self.P1,
            "P2": self.P2,
            "watts": self.watts,
            "sen": self.sen,
        }
        if self.by_group:
            data["by_group"] = {g: r.as_dict() for g, r in self.by_group.items()}
        return data


def _fgt_one(pairs: Sequence[tuple[float, float]], line: float) -> FGTResult:
    n = sum(w for _, w in pairs)
    if n <= 0:
        return FGTResult(0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    poor_pairs = sorted((y, w) for y, w in pairs if y < line and w > 0)
    q = sum(w for _, w in poor_pairs)
    p1 = sum(w * (line - y) / line for y, w in poor_pairs) / n
    p2 = sum(w * ((line - y) / line) ** 2 for y, w in poor_pairs) / n
    watts: float | None
    if any(y <= 0 for y, _ in poor_pairs):
        watts = None  # ln(z / y) is not defined for an income of 0 or less
    else:
        watts = sum(w * math.log(line / y) for y, w in poor_pairs) / n
    sen = 0.0
    if q > 0:
        total = sum(w * y for y, w in poor_pairs)
        mu = total / q
        income_gap = (line - mu) / line
        # Ranks 1..q over the sorted poor; a unit of weight w holds w consecutive ranks.
        rank_sum = 0.0
        before = 0.0
        for y, w in poor_pairs:
            rank_sum += y * (w * before + w * (w + 1) / 2)
            before += w
        gini = 2 * rank_sum / (q * total) - (q + 1) / q if total > 0 else 0.0
        sen = (q / n) * (income_gap + (1 - income_gap) * gini * q / (q + 1))
    return FGTResult(n, q, q / n, p1, p2, watts, sen)


def fgt(
    incomes: Sequence[float],
    *,
    line: float,
    weights: Sequence[float] | None = None,
    groups: Sequence[str] | None = None,
) -> FGTResult:
    """P0, P1, P2, Watts and Sen of ``incomes`` against ``line``; by group when given."""
    if not line > 0:
        raise InputError(None, None, "the poverty line must be positive")
    w = list(weights) if weights is not None else [1.0] * len(incomes)
    pairs = list(zip((float(y) for y in incomes), (float(x) for x in w), strict=True))
    result = _fgt_one(pairs, line)
    if groups is not None:
        by: dict[str, list[tuple[float, float]]] = {}
        for pair, g in zip(pairs, groups, strict=True):
            by.setdefault(g, []).append(pair)
        result.by_group = {g: _fgt_one(by[g], line) for g in sorted(by)}
    return result
