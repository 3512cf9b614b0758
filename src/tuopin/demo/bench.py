"""Benchmarks measured by the project itself (``tuopin bench``), never by timed tests."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from tuopin.demo.generator import Generator, reference_villages


def machine() -> str:
    """The machine a figure was measured on: CPU model, cores, memory."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{memory_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        memory = "?"
    return f"{model}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()}"


def generate_file(members: int, folder: Path, *, seed: int = 2014) -> tuple[Path, int, float]:
    """A CSV with about ``members`` member rows; returns (path, rows, seconds)."""
    from tuopin.registry.importers.household_file import write_household_file  # noqa: PLC0415

    generator = Generator(reference_villages(), seed=seed)
    counted = {"rows": 0}

    def households() -> Any:
        index = 0
        while counted["rows"] < members:
            household = generator.household(index)
            counted["rows"] += len(household.members)
            index += 1
            yield household

    path = folder / f"bench-{members}.csv"
    started = time.monotonic()
    write_household_file(households(), path, fmt="csv")
    return path, counted["rows"], time.monotonic() - started


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"tuopin {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def import_on(database: str, path: Path, workdir: Path) -> dict[str, Any]:
    """Import ``path`` into a fresh database of the kind given ("sqlite" or a PostgreSQL
    server URL without a database name); the database is dropped afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUOPIN_")}
    env["TUOPIN_DATA_DIR"] = str(workdir)
    dropper = None
    if database == "sqlite":
        env["TUOPIN_DATABASE_URL"] = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex}.sqlite3'}"
    else:
        import psycopg  # noqa: PLC0415

        name = f"tuopin_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{database}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def dropper() -> None:
            with psycopg.connect(f"{database}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        env["TUOPIN_DATABASE_URL"] = f"{database}/{name}"
    try:
        _run(["manage", "migrate", "-v", "0"], env)
        from tuopin.areas.services import REFERENCE_TREE  # noqa: PLC0415

        _run(["areas", "import", str(REFERENCE_TREE)], env)
        out = _run(["manage", "bench_import_once", str(path)], env)
        return json.loads(out.strip().splitlines()[-1])
    finally:
        if dropper is not None:
            dropper()


def bench_import(members: int, databases: list[str]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="tuopin-bench-") as tmp:
        folder = Path(tmp)
        path, rows, generated = generate_file(members, folder)
        results = []
        for database in databases:
            figures = import_on(database, path, folder)
            figures.update(
                database="SQLite" if database == "sqlite" else "PostgreSQL",
                generated_s=round(generated, 1),
                rows=rows,
            )
            results.append(figures)
        return results
