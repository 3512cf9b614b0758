"""Browsing the area tree in a real browser, as the personas do."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from browser.conftest import login
from conftest import ALXA, BADANJILIN, EJINA, RIGHT_BANNER

pytestmark = pytest.mark.browser


def area_url(code: str) -> re.Pattern[str]:
    return re.compile(rf"/areas/{code}/$")


def open_child(page: Page, name: str) -> None:
    """Follow the link in the first column of the children table."""
    first_column = page.locator("#children-table tbody td:first-child")
    first_column.get_by_role("link", name=name, exact=True).click()


def switch_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"form.langswitch button[name=language][value={code}]").click()
    expect(page.locator(f"form.langswitch button[value={code}]")).to_have_class(
        re.compile(r"\bcurrent\b")
    )


def test_league_officer_drills_down_from_league_to_town_and_switches_language(
    page, outside_requests, league_officer
):
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))

    login(page, league_officer)
    assert page.evaluate("navigator.language") == "en-US"  # and yet the pages speak Chinese
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.locator("form.langswitch button[value=zh-hans]")).to_have_class(
        re.compile(r"\bcurrent\b")
    )
    cards = page.locator("a.card")
    expect(cards).to_have_count(1)
    league_card = page.locator(f"a.card[data-area='{ALXA}']")
    expect(league_card.locator("h3")).to_have_text("阿拉善盟")

    league_card.click()
    expect(page).to_have_url(area_url(ALXA))
    expect(page.locator("main h1")).to_have_text("阿拉善盟")
    expect(page.locator("ol.crumbs li")).to_have_text(["阿拉善盟"])

    open_child(page, "阿拉善右旗")
    expect(page).to_have_url(area_url(RIGHT_BANNER))
    expect(page.locator("main h1")).to_have_text("阿拉善右旗")
    expect(page.locator("ol.crumbs li")).to_have_text(["阿拉善盟", "阿拉善右旗"])

    open_child(page, "巴丹吉林镇")
    expect(page).to_have_url(area_url(BADANJILIN))
    expect(page.locator("main h1")).to_have_text("巴丹吉林镇")
    crumbs = page.locator("ol.crumbs li")
    expect(crumbs).to_have_text(["阿拉善盟", "阿拉善右旗", "巴丹吉林镇"])
    expect(crumbs.last).to_have_attribute("aria-current", "page")
    expect(page.locator("#children-table tbody tr").first).to_be_visible()

    switch_language(page, "en")
    expect(page).to_have_url(area_url(BADANJILIN))
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Badanjilin Town")
    expect(crumbs).to_have_text(["Alxa League", "Alxa Right Banner", "Badanjilin Town"])

    switch_language(page, "zh-hans")
    expect(page).to_have_url(area_url(BADANJILIN))
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("巴丹吉林镇")
    expect(crumbs).to_have_text(["阿拉善盟", "阿拉善右旗", "巴丹吉林镇"])

    assert outside_requests == []
    assert console_errors == []


def test_banner_officer_cannot_open_another_banner(page, outside_requests, banner_officer):
    login(page, banner_officer)
    cards = page.locator("a.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-area", RIGHT_BANNER)
    expect(cards.first.locator("h3")).to_have_text("阿拉善右旗")
    main = page.locator("main").inner_text()
    for elsewhere in ("阿拉善盟", "阿拉善左旗", "额济纳旗"):
        assert elsewhere not in main

    response = page.goto(f"/areas/{EJINA}/")
    assert response is not None
    assert response.status == 404
    assert "额济纳旗" not in page.content()
    assert "Ejina" not in page.content()

    assert outside_requests == []


def test_outsider_sees_no_areas(page, outside_requests, outsider):
    login(page, outsider)
    with translation.override("zh-hans"):
        no_areas = translation.gettext("No areas have been granted to you yet.")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main .panel h2")).to_have_text(no_areas)
    expect(page.locator("a.card")).to_have_count(0)

    assert outside_requests == []
