"""Rule inputs as DuckDB tables, and the vectorised run over them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import pyarrow as pa

from tuopin.rules import definitions as d
from tuopin.rules.engine import RuleParams, Translate, compile_rules

ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
}

HOUSEHOLDS = "rule_households"
MEMBERS = "rule_members"
PARAMS = "rule_params"


def _schema(columns: Mapping[str, str], *keys: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([*keys, *((name, ARROW_TYPES[kind]) for name, kind in columns.items())])


HOUSEHOLD_SCHEMA = _schema(d.INPUT_COLUMNS, ("hh_key", pa.int64()), ("policy_key", pa.int64()))
MEMBER_SCHEMA = _schema(d.MEMBER_COLUMNS, ("hh_key", pa.int64()))
PARAM_SCHEMA = _schema(d.PARAMETERS, ("policy_key", pa.int64()))


def load_inputs(
    con: duckdb.DuckDBPyConnection,
    households: Iterable[tuple[int, dict[str, Any], list[dict[str, Any]]]],
    params: Mapping[int, RuleParams],
    *,
    policy_key: Mapping[int, int] | None = None,
) -> None:
    """Put households (key, columns, members) and parameters into ``con`` as the tables
    ``rule_households``, ``rule_members`` and ``rule_params``. ``policy_key`` maps a
    household key to the key of its parameters; without it every household uses key 0."""
    hh: dict[str, list[Any]] = {name: [] for name in HOUSEHOLD_SCHEMA.names}
    mm: dict[str, list[Any]] = {name: [] for name in MEMBER_SCHEMA.names}
    for key, columns, members in households:
        hh["hh_key"].append(key)
        hh["policy_key"].append(0 if policy_key is None else policy_key[key])
        for name in d.INPUT_COLUMNS:
            hh[name].append(columns[name])
        for member in members:
            mm["hh_key"].append(key)
            for name in d.MEMBER_COLUMNS:
                mm[name].append(member[name])
    pp: dict[str, list[Any]] = {name: [] for name in PARAM_SCHEMA.names}
    for key, values in params.items():
        pp["policy_key"].append(key)
        for name, value in values.as_dict().items():
            pp[name].append(value)
    for table, data, schema in (
        (HOUSEHOLDS, hh, HOUSEHOLD_SCHEMA),
        (MEMBERS, mm, MEMBER_SCHEMA),
        (PARAMS, pp, PARAM_SCHEMA),
    ):
        arrow = pa.table(data, schema=schema)  # noqa: F841 - read by DuckDB by name
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM arrow")


def run_rules(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: datetime.date,
    translate: Translate,
    households: str = HOUSEHOLDS,
    members: str = MEMBERS,
    params: str = PARAMS,
    text: bool = True,
) -> duckdb.DuckDBPyRelation:
    """Every household of ``households`` under the rules, as a DuckDB relation (reasons
    rendered, or as ``reason_mask`` with ``text=False``)."""
    compiled = compile_rules(
        households=households,
        members=members,
        params=params,
        as_of=as_of,
        translate=translate,
        text=text,
    )
    return con.sql(compiled.sql)
