"""The committed OpenAPI schema is the contract API clients rely on: it must not drift."""

from __future__ import annotations

import json
from pathlib import Path

from tuopin.api import api

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
REGENERATE = (
    "uv run python manage.py export_openapi_schema --api tuopin.api.api "
    "--indent 2 --sorted --output docs/openapi.json"
)


def test_committed_openapi_schema_matches_the_api():
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    current = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    assert committed == current, f"the API changed; regenerate the schema with: {REGENERATE}"


def test_every_operation_requires_a_token():
    schema = api.get_openapi_schema()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    assert all(op.get("security") == [{"TokenAuth": []}] for op in operations)
