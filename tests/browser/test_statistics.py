"""The statistics pages in a real browser: drill down, change the date, download a table."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from browser.conftest import SCREENSHOTS, login
from conftest import ALXA, BADANJILIN, EKENHUDUGE, RIGHT_BANNER
from tuopin.analytics.tests.conftest import AFTER, BEFORE, _data_dir, registry  # noqa: F401

pytestmark = pytest.mark.browser


def stats_url(code: str) -> re.Pattern[str]:
    return re.compile(rf"/stats/{code}/(\?as_of=[\d-]+)?$")


def open_child(page: Page, name: str) -> None:
    page.locator("#table-children tbody td:first-child").get_by_role(
        "link", name=name, exact=True
    ).click()


def headline(page: Page, key: str) -> str:
    return page.locator(f'td[data-key="{key}"]').inner_text()


@pytest.mark.usefixtures("registry")
def test_officer_drills_down_from_league_to_gaqa_changes_the_date_and_downloads_a_table(
    page, outside_requests, league_officer, request
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, league_officer)

    page.locator("nav.mainnav").get_by_role("link", name="统计").click()
    expect(page).to_have_url(stats_url(ALXA))
    expect(page.locator("main h1")).to_contain_text("阿拉善盟")
    page.locator("#as-of").fill(AFTER.isoformat())
    page.locator(".as-of-form button").click()
    expect(page).to_have_url(re.compile(rf"as_of={AFTER.isoformat()}"))
    expect(page.locator('td[data-key="households"]')).to_have_text("4")
    expect(page.locator('td[data-key="poor_persons"]')).to_have_text("6")
    # Every chart is drawn by the vendored ECharts, on a canvas.
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(4)
    for i in range(4):
        expect(charts.nth(i)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    folder = request.config.rootpath / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "statistics_league.png", full_page=True)

    open_child(page, "阿拉善右旗")
    expect(page).to_have_url(stats_url(RIGHT_BANNER))
    expect(page.locator('td[data-key="persons"]')).to_have_text("8")
    open_child(page, "巴丹吉林镇")
    expect(page).to_have_url(stats_url(BADANJILIN))
    open_child(page, "额肯呼都格嘎查")
    expect(page).to_have_url(stats_url(EKENHUDUGE))
    expect(page.locator("ol.crumbs li")).to_have_text(
        ["阿拉善盟", "阿拉善右旗", "巴丹吉林镇", "额肯呼都格嘎查"]
    )
    expect(page.locator('td[data-key="incidence_percent"]')).to_have_text("1.00")

    # Back to 2020: H5 is not yet registered and H2 had two people.
    page.locator("#as-of").fill(BEFORE.isoformat())
    page.locator(".as-of-form button").click()
    expect(page).to_have_url(re.compile(rf"as_of={BEFORE.isoformat()}"))
    expect(page.locator('td[data-key="households"]')).to_have_text("2")
    expect(page.locator('td[data-key="persons"]')).to_have_text("5")
    expect(page.locator("[data-chart='status']")).to_have_attribute("data-drawn", "true")

    with page.expect_download() as info:
        page.locator("#download-status").click()
    download = info.value
    assert download.suggested_filename.endswith(f"{BEFORE.isoformat()}-status.xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    people = [r[2] for r in sheet.iter_rows(min_row=3, values_only=True)]
    # H1 lifted out with policy (3 people), H2 ordinary (2); no one in the other statuses.
    assert sorted(people) == [0, 0, 0, 0, 2, 3]
    assert outside_requests == []
    assert errors == []
