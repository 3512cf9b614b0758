"""The ``tuopin`` command as a newcomer runs it, in a separate process on a fresh data dir."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tuopin.cli import main
from tuopin.demo.generator import Generator, Village
from tuopin.registry.importers.household_file import write_household_file


def run_tuopin(
    *args: str, data_dir: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUOPIN_")}
    env["TUOPIN_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = run_tuopin("demo", "--no-serve", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_demo_without_serving_sets_up_sqlite_and_prints_the_logins(demo_dir):
    assert (demo_dir / "tuopin.sqlite3").exists()
    assert (demo_dir / "secret_key").exists()


def test_demo_run_twice_reuses_the_data(demo_dir):
    again = run_tuopin("demo", "--no-serve", data_dir=demo_dir)
    assert again.returncode == 0, again.stderr
    assert "0 created" in again.stdout
    assert "admin" in again.stdout
    assert "tuopin-demo" in again.stdout


def test_areas_export_lists_banners_towns_and_about_198_gaqa(demo_dir):
    result = run_tuopin("areas", "export", "--format", "csv", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0].keys()) == ["code", "parent_code", "level", "name"]
    banners = {r["code"]: r["name"] for r in rows if r["level"] == "banner"}
    assert {
        "152921000000": "阿拉善左旗",
        "152922000000": "阿拉善右旗",
        "152923000000": "额济纳旗",
    }.items() <= banners.items()
    towns = {r["code"] for r in rows if r["level"] == "sumu_town"}
    assert {"152922103000", "152923200000", "152921110000"} <= towns
    gaqa_and_villages = [
        r for r in rows if r["level"] == "village" and not r["name"].endswith("社区")
    ]
    assert len(gaqa_and_villages) == 198


def test_full_export_imported_again_changes_nothing(demo_dir, tmp_path):
    exported = tmp_path / "tree.csv"
    result = run_tuopin("areas", "export", "--full", "-o", str(exported), data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    again = run_tuopin("areas", "import", str(exported), data_dir=demo_dir)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing to change")


def test_a_bad_area_file_exits_nonzero_naming_row_and_column(demo_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,parent_code,level,name\n152922103299,152922103000,village,新嘎查\n"
        "1529221032,152922103000,village,短代码\n",
        encoding="utf-8",
    )
    result = run_tuopin("areas", "import", str(bad), data_dir=demo_dir)
    assert result.returncode != 0
    assert "3" in result.stderr and "code" in result.stderr and "1529221032" in result.stderr
    assert "nothing was written" in result.stderr
    listed = run_tuopin("areas", "export", data_dir=demo_dir).stdout
    assert "152922103299" not in listed


def test_an_unknown_command_is_refused_with_the_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "usage: tuopin" in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "serve", "areas", "manage"):
        assert f"  {command}" in out


def test_a_token_issued_at_the_console_is_printed_once_and_revoked_once(demo_dir):
    issued = run_tuopin("token", "create", "--user", "youqi", data_dir=demo_dir)
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.strip()
    assert key.startswith("tp_")
    prefix = key[:8]
    revoked = run_tuopin("token", "revoke", prefix, data_dir=demo_dir)
    assert revoked.returncode == 0, revoked.stderr
    assert run_tuopin("token", "revoke", prefix, data_dir=demo_dir).returncode != 0


def test_the_first_administrator_is_created_and_granted_at_the_console(demo_dir):
    created = run_tuopin(
        "users",
        "create",
        "chief",
        "--password-stdin",
        data_dir=demo_dir,
        stdin="a-strong-pass-phrase-2026\n",
    )
    assert created.returncode == 0, created.stderr
    granted = run_tuopin(
        "users", "grant", "chief", "system_admin", "150000000000", data_dir=demo_dir
    )
    assert granted.returncode == 0, granted.stderr
    listed = run_tuopin("users", "list", data_dir=demo_dir).stdout
    assert "chief: system_admin@150000000000" in listed


def test_a_weak_password_at_the_console_is_refused(demo_dir):
    weak = run_tuopin(
        "users", "create", "weakling", "--password-stdin", data_dir=demo_dir, stdin="123\n"
    )
    assert weak.returncode != 0
    assert "weakling" not in run_tuopin("users", "list", data_dir=demo_dir).stdout


def test_import_and_export_at_the_console_keep_to_the_users_areas(demo_dir, tmp_path):
    villages = [Village("152922103201", "152922", False), Village("152923200201", "152923", True)]
    records = list(Generator(villages, seed=11).households(12))
    source = tmp_path / "households.csv"
    write_household_file(records, source, fmt="csv")

    refused = run_tuopin("import", str(source), "--user", "youqi", data_dir=demo_dir)
    assert refused.returncode != 0
    assert "行政区划代码" in refused.stderr
    assert (tmp_path / "households.csv.errors.xlsx").exists()

    first = run_tuopin("import", str(source), data_dir=demo_dir)
    assert first.returncode == 0, first.stderr
    assert "12 household(s) created" in first.stdout
    again = run_tuopin("import", str(source), data_dir=demo_dir)
    assert again.stdout.startswith("nothing changed")

    exported = tmp_path / "youqi.csv"
    result = run_tuopin(
        "export", "--format", "csv", "-o", str(exported), "--user", "youqi", data_dir=demo_dir
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert rows
    assert {r["行政区划代码"][:6] for r in rows} == {"152922"}
    ours = {h.code for h in records}
    expected = sum(len(h.members) for h in records if h.area_code.startswith("152922"))
    assert len([r for r in rows if r["户编号"] in ours]) == expected
    roundtrip = run_tuopin("import", str(exported), data_dir=demo_dir)
    assert roundtrip.stdout.startswith("nothing changed"), roundtrip.stdout + roundtrip.stderr
