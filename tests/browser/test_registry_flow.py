"""A banner officer brings households in from a file and works on one, in a real browser.

The live server runs background tasks inline (``TUOPIN_TASKS_BACKEND=immediate``), so an
import has finished by the time the upload's redirect lands on the job page.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import SCREENSHOTS, login
from tuopin.core.jobs import Progress, job_create, job_finish, job_mark_running, write_progress
from tuopin.demo.generator import Generator, Village
from tuopin.registry.bulk import import_households
from tuopin.registry.importers.household_file import read_household_file, write_household_file

pytestmark = pytest.mark.browser

YOUQI_VILLAGES = [Village("152922103201", "152922", False), Village("152922211201", "152922", True)]
JOB_URL = re.compile(r"/registry/jobs/[0-9a-f-]{36}/$")
NEW_PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Uploads, reports and progress files in a folder of the test's own."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"


def snapshot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    folder = request.config.rootpath / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{request.node.name}-{step}.png", full_page=True)


def collect_console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_banner_officer_imports_a_file_fixes_its_error_and_edits_a_household(
    page, outside_requests, banner_officer, tmp_path, request
):
    records = list(Generator(YOUQI_VILLAGES, seed=11).households(3))
    good = records[1].members[0]
    bad = dataclasses.replace(
        good, id_number=good.id_number[:-1] + ("1" if good.id_number[-1] == "0" else "0")
    )
    broken = [
        records[0],
        dataclasses.replace(records[1], members=[bad, *records[1].members[1:]]),
        records[2],
    ]
    bad_row = 2 + len(records[0].members)
    broken_file = tmp_path / "阿拉善右旗监测户.csv"
    fixed_file = tmp_path / "阿拉善右旗监测户（改）.csv"
    write_household_file(broken, broken_file, fmt="csv")
    write_household_file(records, fixed_file, fmt="csv")
    console_errors = collect_console_errors(page)

    login(page, banner_officer)
    page.goto("/registry/")
    page.locator("#import-link").click()
    expect(page).to_have_url(re.compile(r"/registry/import/(#import-form)?$"))
    expect(page.locator("#id_mode_0")).to_be_checked()
    page.set_input_files("#id_file", broken_file)
    snapshot(page, request, "1-upload")
    page.locator("#import-form button[type=submit]").click()

    # The file is refused; the page names the row and the column, and nothing was written.
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#import-refused")).to_be_visible()
    first_error = page.locator("#import-errors tbody tr").first.locator("td")
    expect(first_error.nth(0)).to_have_text(str(bad_row))
    expect(first_error.nth(1)).to_have_text("证件号码")
    expect(first_error.nth(2)).to_have_text(bad.id_number)
    expect(page.locator("#job-filename")).to_have_text(broken_file.name)
    snapshot(page, request, "2-refused")
    with page.expect_download() as download:
        page.locator("#error-report").click()
    assert download.value.suggested_filename == "阿拉善右旗监测户.errors.xlsx"

    # The corrected file goes in.
    page.locator("#import-refused a[href='/registry/import/']").click()
    expect(page).to_have_url(re.compile(r"/registry/import/$"))
    expect(page.locator("#recent-imports tbody tr")).to_have_count(1)
    page.set_input_files("#id_file", fixed_file)
    page.locator("#import-form button[type=submit]").click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#import-summary")).to_be_visible()
    expect(page.locator("#count-created b")).to_have_text("3")
    expect(page.locator("#count-rows b")).to_have_text(str(sum(len(h.members) for h in records)))
    snapshot(page, request, "3-imported")

    # The household list finds the household by an ID number from the file.
    page.locator("#import-summary a[href='/registry/']").click()
    expect(page).to_have_url(re.compile(r"/registry/$"))
    page.locator("#id_q").fill(good.id_number)
    page.locator("#id_q").press("Enter")
    rows = page.locator("#households tbody tr")
    expect(rows).to_have_count(1)
    # Typing and Enter each ask for the results; let both answers land before clicking, or a
    # late one replaces the list (and the URL) under the click on a slow machine.
    page.wait_for_load_state("networkidle")
    rows.first.get_by_role("link", name=records[1].code).click()
    expect(page).to_have_url(re.compile(rf"/registry/{records[1].code}/$"))
    expect(page.locator("#members-table")).to_contain_text(good.id_number)

    # Its phone is edited, and the change stands in the page's audit trail.
    page.locator(f"a[href='/registry/{records[1].code}/edit/']").click()
    page.locator("#id_phone").fill(NEW_PHONE)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/registry/{records[1].code}/$"))
    expect(page.locator("#phone")).to_have_text(NEW_PHONE)
    latest = page.locator("#audit-table tbody tr").first
    expect(latest).to_contain_text("registry.household.updated")
    expect(latest).to_contain_text(NEW_PHONE)
    expect(page.locator("#audit-table")).to_contain_text("registry.household.imported")

    assert outside_requests == []
    assert console_errors == []


def test_the_job_page_follows_progress_until_the_import_ends(
    page, outside_requests, banner_officer, request
):
    job = job_create(
        kind="registry.import",
        actor=banner_officer,
        params={"filename": "全旗农户.xlsx", "mode": "all-or-nothing", "effective": None},
    )
    job_mark_running(job.pk)
    write_progress(job.pk, Progress(done=2, total=10, message="正在写入新增农户"))
    console_errors = collect_console_errors(page)

    login(page, banner_officer)
    page.goto(f"/registry/jobs/{job.pk}/")
    bar = page.locator("#job-status [role=progressbar]")
    expect(bar).to_have_attribute("aria-valuenow", "20")
    expect(page.locator("#job-step")).to_have_text("正在写入新增农户")
    snapshot(page, request, "1-running")

    # htmx asks again every second; the page moves on without a reload.
    write_progress(job.pk, Progress(done=7, total=10, message="正在写入新增农户"))
    expect(bar).to_have_attribute("aria-valuenow", "70")
    job_finish(
        job.pk,
        ok=True,
        result={"households_created": 10, "households_unchanged": 0, "rows_read": 31},
    )
    expect(page.locator("#import-summary")).to_be_visible()
    expect(page.locator("#count-created b")).to_have_text("10")
    expect(page.locator("#job-status[hx-trigger]")).to_have_count(0)
    assert Path(page.url).name == str(job.pk)

    assert outside_requests == []
    assert console_errors == []


def test_the_export_button_follows_the_lists_area_filter(
    page, outside_requests, banner_officer, tmp_path, request
):
    records = list(Generator(YOUQI_VILLAGES, seed=3).households(6))
    source = tmp_path / "source.csv"
    write_household_file(records, source, fmt="csv")
    import_households(actor=None, parsed=read_household_file(source))
    gaqa = YOUQI_VILLAGES[0].code
    console_errors = collect_console_errors(page)

    login(page, banner_officer)
    page.goto("/registry/")
    export = page.locator("#export-xlsx")
    expect(export).to_have_attribute("href", "/registry/export/?format=xlsx")
    page.locator("#id_area_code").fill(gaqa)
    page.locator("#id_area_code").dispatch_event("change")
    expect(export).to_have_attribute("href", f"/registry/export/?area={gaqa}&format=xlsx")
    snapshot(page, request, "1-list")

    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.startswith(f"households-{gaqa}-")
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    exported = read_household_file(saved)
    assert exported.errors == []
    expected = sorted(h.code for h in records if h.area_code == gaqa)
    assert 0 < len(expected) < len(records)
    assert sorted(h.code for h in exported.households) == expected

    assert outside_requests == []
    assert console_errors == []
