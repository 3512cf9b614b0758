"""A deputy's suggestion from submission to a satisfied vote, in a real browser and in
Simplified Chinese: the deputy submits, the committee assigns, the banner's offices answer
and reply, the deputy is unsatisfied, the lead office handles it again, the deputy is
satisfied."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import SCREENSHOTS, login
from conftest import ALXA, RIGHT_BANNER
from tuopin.areas.models import Area
from tuopin.supervision.choices import DeputyLevel, SuggestionStatus
from tuopin.supervision.models import Deputy, Office, Suggestion

pytestmark = pytest.mark.browser


def snapshot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    folder = request.config.rootpath / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{request.node.name}-{step}.png", full_page=True)


def switch(page: Page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_suggestion_from_submission_through_rework_to_a_satisfied_vote(  # noqa: PLR0917 (pytest fixtures)
    page, outside_requests, make_user, supervisor, banner_officer, request
):
    right = Area.objects.get(code=RIGHT_BANNER)
    lead = Office.objects.create(name="阿拉善右旗乡村振兴局", area=right)
    helper = Office.objects.create(name="阿拉善右旗水务局", area=right)
    Office.objects.create(name="阿拉善盟教育局", area=Area.objects.get(code=ALXA))
    deputy_user = make_user("deputy_bayar", ("deputy", RIGHT_BANNER))
    Deputy.objects.create(name="巴依尔", level=DeputyLevel.REGION, area=right, user=deputy_user)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The deputy submits.
    login(page, deputy_user)
    page.locator("nav.mainnav").get_by_role("link", name="监督").click()
    expect(page.locator("main h1")).to_have_text("监督")
    page.goto("/supervision/suggestions/")
    page.locator("#new-suggestion").click()
    page.locator("#id_title").fill("加强牧区安全饮水工程管护")
    page.locator("#id_content").fill("建议设立旗级饮水工程管护资金，明确管护责任人。")
    page.locator("#submit-suggestion").click()
    expect(page.locator("ul.messages")).to_contain_text("建议已提交")
    expect(page.locator("#suggestion-status")).to_contain_text("已提出")
    suggestion = Suggestion.objects.get()
    snapshot(page, request, "1-submitted")

    # The committee assigns it.
    switch(page, supervisor)
    page.goto(f"/supervision/suggestions/{suggestion.pk}/")
    page.locator("#id_lead_office").select_option(str(lead.pk))
    page.locator("#id_assisting_offices").select_option([str(helper.pk)])
    snapshot(page, request, "2-assign")
    page.locator("#assign").click()
    expect(page.locator("#suggestion-status")).to_contain_text("已交办")
    expect(page.locator("#lead-office")).to_have_text("阿拉善右旗乡村振兴局")
    expect(page.locator("#reply-form")).to_have_count(0)

    # The banner officer answers for the assisting office, then replies as the lead.
    switch(page, banner_officer)
    page.goto(f"/supervision/suggestions/{suggestion.pk}/")
    expect(page.locator("#vote-form")).to_have_count(0)
    page.locator("#id_reply").fill("已列入维护计划。")
    page.locator("#id_reply_mode").select_option("face_to_face")
    page.locator("#id_result_class").select_option("B")
    page.locator("#reply").click()
    # The assisting office has not answered yet: refused, and said why.
    expect(page.locator("ul.messages")).to_contain_text(
        "以下协办单位尚未回复协办意见：阿拉善右旗水务局"
    )
    page.locator(".assist-form textarea").fill("水务局同意牵头制定管护办法。")
    page.locator(".assist-form button").click()
    expect(page.locator("#assists")).to_contain_text("水务局同意牵头制定管护办法")
    page.locator("#id_reply").fill("已列入2025年维护计划，资金正在协调。")
    page.locator("#id_reply_mode").select_option("face_to_face")
    page.locator("#id_result_class").select_option("B")
    page.locator("#reply").click()
    expect(page.locator("#suggestion-status")).to_contain_text("已答复")
    expect(page.locator("#result-class")).to_contain_text("B类")
    snapshot(page, request, "3-replied")

    # The deputy is unsatisfied: it goes back to the lead office.
    switch(page, deputy_user)
    page.goto(f"/supervision/suggestions/{suggestion.pk}/")
    page.locator("#vote-form input[value=unsatisfied]").check()
    page.locator("#id_note").fill("资金尚未落实。")
    page.locator("#vote").click()
    expect(page.locator("#suggestion-status")).to_contain_text("重新办理中")
    expect(page.locator("#timeline")).to_contain_text("退回重新办理")
    snapshot(page, request, "4-rework")

    # The lead office handles it again and replies.
    switch(page, banner_officer)
    page.goto(f"/supervision/suggestions/{suggestion.pk}/")
    page.locator("#id_reply").fill("管护资金30万元已拨付，管护责任人已明确到嘎查。")
    page.locator("#id_reply_mode").select_option("written")
    page.locator("#id_result_class").select_option("A")
    page.locator("#reply").click()
    expect(page.locator("#result-class")).to_contain_text("A类")

    # The deputy is satisfied: closed.
    switch(page, deputy_user)
    page.goto(f"/supervision/suggestions/{suggestion.pk}/")
    page.locator("#vote-form input[value=satisfied]").check()
    page.locator("#vote").click()
    expect(page.locator("#suggestion-status")).to_contain_text("已办结")
    expect(page.locator("#satisfaction")).to_have_text("满意")
    expect(page.locator("#actions")).to_have_count(0)
    timeline = page.locator("#timeline li")
    expect(timeline).to_have_count(9)
    snapshot(page, request, "5-closed")

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED
    assert suggestion.rounds == 2
    assert outside_requests == []
    assert errors == []
