"""A household applies on a phone; a cadre finds the clue on "my work" and walks the case."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import SCREENSHOTS, login
from conftest import EKENHUDUGE
from tuopin.monitoring.models import Case, SelfApplication
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput, household_register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def an_id(first17: str) -> str:
    return first17 + check_digit(first17)


HEAD_ID = an_id("15292219700305123")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def snapshot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    folder = request.config.rootpath / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{request.node.name}-{step}.png", full_page=True)


@pytest.fixture
def household(alxa):
    return household_register(
        actor=None,
        code="H-0001",
        area=alxa.__class__.objects.get(code=EKENHUDUGE),
        household_type="tuopin",
        registered_on=datetime.date(2014, 6, 1),
        members=[MemberInput(name="巴特尔", id_number=HEAD_ID, relation="head")],
        tuopin_year=2017,
    )


@pytest.mark.usefixtures("household")
def test_a_household_applies_on_a_phone_and_a_cadre_opens_the_case(
    page, outside_requests, gaqa_cadre, request, tmp_path
):
    page.set_viewport_size(PHONE)
    page.goto("/monitoring/apply/")
    expect(page.locator("#apply-form")).to_be_visible()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    snapshot(page, request, "1-form")

    page.locator("#id_name").fill("巴特尔")
    page.locator("#id_id_number").fill(HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1"))
    page.locator("#id_phone").fill("13912345678")
    page.locator("#id_area").select_option(EKENHUDUGE)
    page.locator("input[name=difficulties][value=illness]").check()
    page.locator("#id_consent").check()
    page.locator("#apply-form button[type=submit]").click()
    expect(page.locator(".field-id_number.has-error")).to_be_visible()
    snapshot(page, request, "2-refused")

    page.locator("#id_id_number").fill(HEAD_ID)
    page.locator("#apply-form button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", code)
    snapshot(page, request, "3-code")

    page.goto("/monitoring/apply/status/")
    page.locator("#id_tracking_code").fill(code)
    page.locator("#id_id_number").fill(HEAD_ID)
    page.locator("#lookup-form button[type=submit]").click()
    expect(page.locator("#stage")).to_be_visible()
    snapshot(page, request, "4-status")

    # A cadre of the gaqa, at a desk.
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, gaqa_cadre)
    page.goto("/monitoring/")
    row = page.locator("#work-table tr.work-clue")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("H-0001")
    snapshot(page, request, "5-my-work")
    row.locator("a.btn").click()
    expect(page.locator("#application")).to_contain_text(code)
    page.locator("#open-case button").click()
    expect(page).to_have_url(re.compile(r"/monitoring/cases/\d+/$"))
    expect(page.locator("#case-road li.road-current")).to_have_count(1)

    consent = tmp_path / "承诺授权书.pdf"
    consent.write_bytes(PDF)
    page.locator("#step-form #id_note").fill("入户核实：老伴住院，自付三万元")
    page.set_input_files("#step-form #id_consent", consent)
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator(".msg-success")).to_be_visible()
    page.locator("#step-form #id_participants").fill("村两委、党员代表、村民代表")
    page.locator("#step-form #id_result").select_option("agreed")
    page.locator("#step-form #id_monitor_type").select_option("unstable_tuopin")
    page.locator("#step-form #id_minutes").fill("一致同意纳入监测")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#case-road li.road-done")).to_have_count(2)
    snapshot(page, request, "6-case")

    # Publicity: the period, then the printable list of the gaqa.
    start = datetime.date.today()
    page.locator("#step-form #id_start").fill(start.isoformat())
    page.locator("#step-form #id_end").fill((start + datetime.timedelta(days=5)).isoformat())
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#publicity-dates")).to_be_visible()
    page.locator(".pagehead .actions a").click()
    expect(page.locator("#publicity-table tbody tr")).to_have_count(1)
    expect(page.locator("#publicity-table")).to_contain_text("巴特尔")
    expect(page.locator("#publicity-table")).not_to_contain_text(HEAD_ID)
    snapshot(page, request, "7-publicity")

    case = Case.objects.get()
    assert case.step == "publicity"
    assert case.clue == SelfApplication.objects.get(tracking_code=code).clue
    assert outside_requests == []
