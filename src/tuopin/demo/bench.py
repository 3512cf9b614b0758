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


def _fresh_postgres(database: str, workdir: Path) -> tuple[dict[str, str], Any]:
    """Environment for a throw-away PostgreSQL database with the reference tree, and the
    function that drops it."""
    import psycopg  # noqa: PLC0415

    env = {k: v for k, v in os.environ.items() if not k.startswith("TUOPIN_")}
    env["TUOPIN_DATA_DIR"] = str(workdir)
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
    except BaseException:
        dropper()
        raise
    return env, dropper


def bench_snapshot(households: int, database: str) -> dict[str, Any]:
    """Time a snapshot refresh of ``households`` (three people each) from PostgreSQL."""
    with tempfile.TemporaryDirectory(prefix="tuopin-bench-") as tmp:
        env, dropper = _fresh_postgres(database, Path(tmp))
        try:
            out = _run(["manage", "bench_snapshot_once", "--households", str(households)], env)
        finally:
            dropper()
        return json.loads(out.strip().splitlines()[-1])


def bench_stats(households: int, *, repeat: int = 3) -> dict[str, Any]:
    """Time every indicator at every area level over a synthetic snapshot of ``households``
    on the configured database's area tree (the snapshot is made in DuckDB, not the
    database, so any scale fits)."""
    import datetime  # noqa: PLC0415

    from tuopin.analytics.definitions import VOCABULARY  # noqa: PLC0415
    from tuopin.analytics.engine.indicators import compute_indicators  # noqa: PLC0415
    from tuopin.analytics.engine.synthetic import write_synthetic_snapshot  # noqa: PLC0415
    from tuopin.analytics.snapshot import Snapshot  # noqa: PLC0415
    from tuopin.areas.models import Area  # noqa: PLC0415

    areas = list(
        Area.objects.order_by("lft").values_list(
            "id", "code", "name", "level", "kind", "parent_id", "lft", "rgt", "depth", "is_active"
        )
    )
    if not areas:
        raise RuntimeError("no area tree: run `tuopin demo --no-serve` or `tuopin areas import`")
    as_of = datetime.date(2025, 6, 30)
    with tempfile.TemporaryDirectory(prefix="tuopin-bench-") as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        counts = write_synthetic_snapshot(folder, households=households, areas=areas, as_of=as_of)
        generated = time.monotonic() - started
        snapshot = Snapshot(path=folder, as_of=as_of, created_at=None, counts=counts)  # type: ignore[arg-type]
        timings = []
        for _ in range(repeat):
            con = snapshot.connect()
            started = time.monotonic()
            table = compute_indicators(con, as_of=as_of, vocabulary=VOCABULARY)
            timings.append(time.monotonic() - started)
            con.close()
        top = table.rows[areas[0][1]]
        return {
            "households": counts["households"],
            "members": counts["members"],
            "areas": len(table.rows),
            "indicators": len(table.keys),
            "generated_s": round(generated, 1),
            "first_s": round(timings[0], 2),
            "best_s": round(min(timings), 2),
            "check_households": top["households"],
        }
