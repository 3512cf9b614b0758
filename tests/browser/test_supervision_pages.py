"""Every supervision page over the synthetic three-year record, in Simplified Chinese: the
committee's view, and the discipline officer's view of the clues."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser.conftest import login
from browser.test_supervision_suggestion import snapshot
from conftest import ALXA
from tuopin.supervision.demo import load_supervision_demo
from tuopin.supervision.models import Clue, CriteriaSet, InquirySession, Opinion

pytestmark = pytest.mark.browser


def test_supervision_pages_over_the_demo_record(  # noqa: PLR0917 (pytest fixtures)
    page, outside_requests, supervisor, make_user, request, alxa, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the demo's evidence files stay out of the real folder
    load_supervision_demo(seed=7)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, supervisor)

    page.goto("/supervision/")
    expect(page.locator("#overview")).to_contain_text("人次")
    snapshot(page, request, "1-overview")

    page.goto("/supervision/visits/?start=2018-01-01&end=2020-12-31")
    expect(page.locator("#visit-count")).to_have_text("37")
    snapshot(page, request, "2-visits")

    session = InquirySession.objects.get()
    page.goto(f"/supervision/inquiries/{session.pk}/")
    expect(page.locator("main .sub")).to_contain_text("7 人询问，11 个问题")
    snapshot(page, request, "3-inquiry")

    page.goto("/supervision/opinions/")
    expect(page.locator("#opinions tbody tr")).to_have_count(Opinion.objects.count())
    snapshot(page, request, "4-opinions")
    opinion = Opinion.objects.filter(status="open").first()
    page.goto(f"/supervision/opinions/{opinion.pk}/")
    expect(page.locator(".issue-item").first).to_be_visible()
    snapshot(page, request, "5-opinion")

    page.goto("/supervision/suggestions/?overdue=1")
    snapshot(page, request, "6-suggestions-overdue")

    criteria_set = CriteriaSet.objects.get()
    page.goto(f"/supervision/assessment/{criteria_set.pk}/")
    expect(page.locator("#results tbody tr").first).to_be_visible()
    snapshot(page, request, "7-assessment")

    # The supervisor sees the clues but never who reported them.
    clue = Clue.objects.exclude(reporter_name="").first()
    page.goto(f"/supervision/clues/{clue.pk}/")
    expect(page.locator("#confidential")).to_contain_text("仅纪检监察干部可见")
    expect(page.locator("main")).not_to_contain_text(clue.reporter_name)

    page.context.clear_cookies()
    login(page, make_user("jiwei", ("discipline", ALXA)))
    page.goto("/supervision/clues/")
    snapshot(page, request, "8-clues")
    page.goto(f"/supervision/clues/{clue.pk}/")
    expect(page.locator("#reporter-name")).to_have_text(clue.reporter_name)
    snapshot(page, request, "9-clue")

    assert outside_requests == []
    assert errors == []
