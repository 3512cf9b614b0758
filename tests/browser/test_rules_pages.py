"""The rules in a real browser: the household's panel, a sweep from the web, the exit check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser.conftest import login
from conftest import EKENHUDUGE
from tuopin.areas.services import area_figure_set
from tuopin.policy.services import load_default_policy
from tuopin.rules.tests.test_sweep import NURIGAI, make

pytestmark = pytest.mark.browser
RIGHT_BANNER = "152922000000"


@pytest.fixture
def households(area, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    load_default_policy()
    made = [
        make(area(EKENHUDUGE), "B-1", "19700101", wage="8000"),
        make(area(EKENHUDUGE), "B-2", "19710101", household_type="ordinary", wage="30000"),
        make(area(NURIGAI), "B-3", "19720101", household_type="ordinary", wage="30000",
             grade="C"),
    ]  # fmt: skip
    area_figure_set(actor=None, area=area(EKENHUDUGE), year=2025, rural_population=120)
    return made


def test_officer_reads_the_policy_panel_sweeps_the_banner_and_checks_exit(
    page, outside_requests, households, banner_officer
):
    login(page, banner_officer)
    page.goto("/registry/B-1/")
    panel = page.locator("#policy-says")
    expect(panel).to_contain_text("按现行政策判定")
    expect(panel.locator("#policy-reasons")).to_contain_text(
        "人均纯收入 8,000.00 元，不高于 2025 年监测范围 8,800 元：脱贫不稳定户"
    )
    panel.screenshot(path="test-artifacts/screenshots/rules_household_panel.png")

    page.locator("nav.mainnav").get_by_role("link", name="批量筛查").click()
    page.locator("#id_year").fill("2025")
    page.locator("#id_area").select_option(RIGHT_BANNER)
    page.locator("#sweep-submit").click()
    expect(page.locator("#sweep-done")).to_be_visible()
    page.locator("#sweep-done a").click()
    expect(page).to_have_url(re.compile(r"/rules/sweeps/\d+/$"))
    expect(page.locator("#count-evaluated td")).to_have_text("3")
    expect(page.locator("#count-new_candidates td")).to_have_text("2")
    expect(page.locator("#sweep-policy")).to_contain_text("8,800")
    page.screenshot(path="test-artifacts/screenshots/rules_sweep_outcome.png", full_page=True)

    page.goto("/rules/sweeps/")
    page.locator("#exit-link").click()
    expect(page.locator("#exit-form")).to_be_visible()
    page.locator("#id_year").fill("2025")
    page.locator("#id_area").fill(RIGHT_BANNER)
    page.locator("#exit-form button").click()
    expect(page.locator(f"#exit-{EKENHUDUGE} .verdict")).to_contain_text("达到出列标准")
    expect(page.locator(f"#exit-{NURIGAI} .verdict")).to_contain_text("缺少该年度人口数")
    assert outside_requests == []
