"""Finding the registry member a department record is about.

Two passes:

1. **Exact**: a record whose ID number passes validation is matched to the active member
   holding it, with one bulk query per 5000 numbers (never one per row).
2. **Probabilistic**: records whose ID number is missing or fails validation are linked with
   Splink (Fellegi–Sunter) on DuckDB against every active member, comparing the name (as
   written and as pinyin, so that 张 and 章 agree), sex, date of birth, the gaqa and what is
   left of a mistyped ID number. The m and u probabilities are set, not trained: the files
   are small and trained weights would vary with every upload; the prior that two random
   records match is one over the number of members (at least ``LINKAGE_MIN_POPULATION``).
   Blocking is the union of several rules (same birth date, same full pinyin, same surname
   pinyin in the same banner, same first 14 characters of the ID), so that one typo in any
   field still leaves the pair a chance.

The best candidate per record decides: a probability at or above ``LINKAGE_ACCEPT_PROBABILITY``
is accepted, at or above ``LINKAGE_REVIEW_PROBABILITY`` goes to review, below is unmatched. A
record with two candidates above the review threshold goes to review even if one is above the
upper threshold: it is ambiguous.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
from django.conf import settings
from pypinyin import lazy_pinyin
from splink import Linker, SettingsCreator, block_on
from splink import comparison_library as cl
from splink.internals.duckdb.database_api import DuckDBAPI

from tuopin.linkage.choices import MatchStatus
from tuopin.registry.models import Membership

CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Member:
    person_id: int
    household_id: int
    area_id: int
    area_code: str
    name: str
    id_number: str
    sex: str
    birth_date: datetime.date | None


@dataclass(frozen=True, slots=True)
class Query:
    """What a record says about its person."""

    key: int  # the caller's index of the record
    name: str
    id_number: str
    id_valid: bool
    sex: str
    birth_date: datetime.date | None
    area_code: str


@dataclass(frozen=True, slots=True)
class Match:
    key: int
    status: str
    member: Member | None = None
    probability: float | None = None
    match_weight: float | None = None


def _members(queryset: Iterable[tuple]) -> list[Member]:
    return [Member(*row) for row in queryset]


_MEMBER_FIELDS = (
    "person_id",
    "household_id",
    "household__area_id",
    "household__area__code",
    "person__name",
    "person__id_number",
    "person__sex",
    "person__birth_date",
)


def _active() -> object:
    return Membership.objects.filter(valid_to__isnull=True)


def exact_members(id_numbers: Sequence[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    unique = sorted(set(id_numbers))
    for start in range(0, len(unique), CHUNK):
        rows = (
            Membership.objects.filter(
                valid_to__isnull=True, person__id_number__in=unique[start : start + CHUNK]
            )
            .values_list(*_MEMBER_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        for member in _members(rows):
            found[member.id_number] = member
    return found


def pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


def _surname_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name[:1])).lower() if name else ""


def _row(  # noqa: PLR0917 - one tuple per table row
    uid: str, name: str, id_number: str, sex: str, birth, area_code: str
) -> tuple:
    return (
        uid,
        name or None,
        pinyin(name) or None,
        _surname_pinyin(name) or None,
        sex or None,
        birth.isoformat() if birth else None,
        area_code or None,
        (area_code[:6] or None) if area_code else None,
        id_number or None,
        id_number[:14] if len(id_number) >= 14 else None,
    )


_COLUMNS = (
    "unique_id VARCHAR, name VARCHAR, name_py VARCHAR, surname_py VARCHAR, sex VARCHAR, "
    "birth_date VARCHAR, area_code VARCHAR, banner VARCHAR, id_number VARCHAR, id14 VARCHAR"
)


def _level(sql: str, label: str, m: float, u: float) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _null(column: str) -> dict:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "null",
        "is_null_level": True,
    }


def _comparisons() -> list:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            _null("name"),
            _level('"name_l" = "name_r"', "same name", 0.88, 0.0005),
            _level('"name_py_l" = "name_py_r"', "same pinyin", 0.07, 0.001),
            _level('jaro_winkler_similarity("name_py_l", "name_py_r") >= 0.9', "close", 0.03, 0.01),
            _level("ELSE", "different", 0.02, 0.9885),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            _null("sex"),
            _level('"sex_l" = "sex_r"', "same", 0.97, 0.5),
            _level("ELSE", "different", 0.03, 0.5),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            _null("birth_date"),
            _level('"birth_date_l" = "birth_date_r"', "same", 0.9, 0.00008),
            _level('levenshtein("birth_date_l", "birth_date_r") <= 1', "one typo", 0.06, 0.002),
            _level(
                'substr("birth_date_l", 1, 4) = substr("birth_date_r", 1, 4)', "year", 0.02, 0.02
            ),
            _level("ELSE", "different", 0.02, 0.97792),
        ],
    )
    area = cl.CustomComparison(
        output_column_name="area_code",
        comparison_levels=[
            _null("area_code"),
            _level('"area_code_l" = "area_code_r"', "same gaqa", 0.8, 0.002),
            _level('substr("area_code_l", 1, 9) = substr("area_code_r", 1, 9)', "town", 0.1, 0.02),
            _level('"banner_l" = "banner_r"', "banner", 0.05, 0.1),
            _level("ELSE", "elsewhere", 0.05, 0.878),
        ],
    )
    id_number = cl.CustomComparison(
        output_column_name="id_number",
        comparison_levels=[
            _null("id_number"),
            _level('"id_number_l" = "id_number_r"', "same", 0.5, 0.0000001),
            _level('levenshtein("id_number_l", "id_number_r") <= 2', "typo", 0.45, 0.000001),
            _level("ELSE", "different", 0.05, 0.9999989),
        ],
    )
    return [name, sex, birth, area, id_number]


def probabilistic(
    queries: Sequence[Query], members: Sequence[Member], *, population: int | None = None
) -> list[Match]:
    """Link ``queries`` to ``members`` with Splink on an in-memory DuckDB."""
    accept = float(settings.LINKAGE_ACCEPT_PROBABILITY)
    review = float(settings.LINKAGE_REVIEW_PROBABILITY)
    if not queries:
        return []
    if not members:
        return [Match(q.key, MatchStatus.UNMATCHED) for q in queries]
    by_uid = {f"m{i}": m for i, m in enumerate(members)}
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE members ({_COLUMNS})")
        con.execute(f"CREATE TABLE records ({_COLUMNS})")
        con.executemany(
            "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _row(uid, m.name, m.id_number, m.sex, m.birth_date, m.area_code)
                for uid, m in by_uid.items()
            ],
        )
        con.executemany(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _row(f"r{q.key}", q.name, q.id_number, q.sex, q.birth_date, q.area_code)
                for q in queries
            ],
        )
        size = max(population or len(members), int(settings.LINKAGE_MIN_POPULATION))
        creator = SettingsCreator(
            link_type="link_only",
            probability_two_random_records_match=1 / size,
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=[
                block_on("birth_date"),
                block_on("name_py"),
                block_on("surname_py", "banner"),
                block_on("id14"),
            ],
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
        )
        db = DuckDBAPI(con)
        linker = Linker(
            [
                db.register("members", table_name="tuopin_members"),
                db.register("records", table_name="tuopin_records"),
            ],
            creator,
            log_level=None,
        )
        predictions = linker.inference.predict(threshold_match_probability=review / 10)
        # The table name is Splink's own, never user input.
        columns = "unique_id_l, unique_id_r, match_probability, match_weight"
        query = f"SELECT {columns} FROM {predictions.physical_name} ORDER BY 4 DESC"  # noqa: S608
        pairs = con.execute(query).fetchall()
    finally:
        con.close()
    ranked: dict[str, list[tuple[str, float, float]]] = {}
    for left, right, probability, weight in pairs:
        member_uid, record_uid = (left, right) if left.startswith("m") else (right, left)
        ranked.setdefault(record_uid, []).append((member_uid, probability, weight))
    out: list[Match] = []
    for q in queries:
        candidates = ranked.get(f"r{q.key}", [])
        if not candidates or candidates[0][1] < review:
            best = candidates[0] if candidates else None
            out.append(
                Match(
                    q.key,
                    MatchStatus.UNMATCHED,
                    None,
                    best[1] if best else None,
                    best[2] if best else None,
                )
            )
            continue
        uid, probability, weight = candidates[0]
        ambiguous = len(candidates) > 1 and candidates[1][1] >= review
        status = (
            MatchStatus.PROBABILISTIC
            if probability >= accept and not ambiguous
            else MatchStatus.REVIEW
        )
        out.append(Match(q.key, status, by_uid[uid], probability, weight))
    return out


def all_active_members() -> list[Member]:
    return _members(_active().values_list(*_MEMBER_FIELDS).iterator(chunk_size=CHUNK))


def match(queries: Sequence[Query]) -> list[Match]:
    """Exact matches for valid ID numbers, probabilistic linkage for the rest."""
    valid = [q for q in queries if q.id_valid]
    by_id = exact_members([q.id_number for q in valid])
    results: dict[int, Match] = {}
    for q in valid:
        member = by_id.get(q.id_number)
        status = MatchStatus.EXACT if member else MatchStatus.UNMATCHED
        results[q.key] = Match(q.key, status, member, 1.0 if member else None)
    rest = [q for q in queries if not q.id_valid]
    if rest:
        members = all_active_members()
        for m in probabilistic(rest, members):
            results[m.key] = m
    return [results[q.key] for q in queries]
