"""A league officer drafts a new version of the league's policy, edits it and publishes it,
in a real browser and in Simplified Chinese; a banner approver then reads it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import SCREENSHOTS, login
from conftest import ALXA, RIGHT_BANNER
from tuopin.areas.models import Area
from tuopin.policy.choices import PackStatus, PolicyKey
from tuopin.policy.models import PolicyPack
from tuopin.policy.services import (
    load_default_policy,
    pack_create,
    pack_draft_from,
    pack_publish,
    pack_set_value,
)

pytestmark = pytest.mark.browser

THRESHOLD = PolicyKey.MONITORING_THRESHOLD.value
PACK_URL = re.compile(r"/policy/packs/(\d+)/$")


def snapshot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    folder = request.config.rootpath / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{request.node.name}-{step}.png", full_page=True)


@pytest.fixture
def league_pack(alxa, league_officer):
    load_default_policy()
    pack = pack_create(
        actor=league_officer,
        area=Area.objects.get(code=ALXA),
        name="阿拉善盟监测标准",
        effective_from=datetime.date(2023, 1, 1),
    )
    pack_set_value(
        actor=league_officer,
        pack=pack,
        key=THRESHOLD,
        year=2023,
        value=7000,
        source="阿拉善盟乡村振兴局 2023 年通知",
    )
    return pack_publish(actor=league_officer, pack=pack)


def test_league_officer_drafts_edits_and_publishes_a_version_and_a_banner_reads_it(  # noqa: PLR0917 (pytest fixtures)
    page, outside_requests, league_pack, league_officer, banner_officer, request
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    login(page, league_officer)
    page.locator("nav.mainnav").get_by_role("link", name="政策").click()
    expect(page.locator("main h1")).to_have_text("政策")
    expect(page.locator(f"#pack-{league_pack.pk}")).to_contain_text("已发布")
    expect(page.locator(f"#pack-{league_pack.pk}")).to_contain_text(league_officer.username)
    snapshot(page, request, "1-list")

    page.locator(f"#pack-{league_pack.pk}").get_by_role("link", name="第 1 版").click()
    expect(page).to_have_url(PACK_URL)
    expect(page.locator("#immutable-note")).to_be_visible()
    page.locator("#draft-new-version").click()
    expect(page.locator("main h1")).to_have_text("起草新版本")
    page.locator("#id_effective_from").fill("2024-01-01")
    page.locator("#create-draft").click()

    expect(page.locator("ul.messages")).to_contain_text("已根据第 1 版起草第 2 版")
    expect(page.locator("main h1")).to_contain_text("草稿")
    draft = PolicyPack.objects.get(area__code=ALXA, version=2)
    expect(page.locator("#draft-note")).to_be_visible()

    # Change the 2023 value, then add 2024.
    page.locator("#value-monitoring_threshold-2023").get_by_role("link", name="编辑").click()
    expect(page.locator("#id_key")).to_be_disabled()
    page.locator("#id_value").fill("7400")
    page.locator("#value-form button[type=submit]").click()
    expect(page.locator("#value-monitoring_threshold-2023")).to_contain_text("7,400")

    page.locator("#add-value").click()
    page.locator("#id_key").select_option(THRESHOLD)
    page.locator("#id_value").fill("7600")
    page.locator("#id_source").fill("阿拉善盟乡村振兴局 2024 年通知")
    page.locator("#value-form button[type=submit]").click()
    # No year: the form says which field and why, and nothing is saved.
    expect(page.locator(".field-year.has-error")).to_contain_text("请填写年份")
    snapshot(page, request, "2-value-error")
    page.locator("#id_year").fill("2024")
    page.locator("#value-form button[type=submit]").click()
    expect(page.locator("#value-monitoring_threshold-2024")).to_contain_text("7,600")
    snapshot(page, request, "3-draft")

    page.locator("#publish").click()
    expect(page.locator("#publish-confirm")).to_contain_text("不能再修改")
    expect(page.locator("#change-monitoring_threshold-2023")).to_contain_text("变更")
    expect(page.locator("#change-monitoring_threshold-2024")).to_contain_text("新增")
    snapshot(page, request, "4-confirm")
    assert PolicyPack.objects.get(pk=draft.pk).status == PackStatus.DRAFT
    page.locator("#confirm-publish").click()

    expect(page.locator("ul.messages")).to_contain_text("第 2 版已发布，自 2024-01-01 起生效")
    expect(page.locator("#immutable-note")).to_be_visible()
    expect(page.locator("#add-value")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.status == PackStatus.PUBLISHED
    assert draft.published_by == league_officer
    assert {(v.year, v.value) for v in draft.values.all()} == {
        (2023, Decimal("7400")),
        (2024, Decimal("7600")),
    }
    snapshot(page, request, "5-published")

    # A banner approver reads it: 2025 is carried forward from 2024, and the page says so.
    page.context.clear_cookies()
    login(page, banner_officer)
    page.goto(f"/policy/packs/{draft.pk}/")
    expect(page.locator("#draft-new-version")).to_have_count(0)
    page.locator("#id_year").fill("2025")
    page.locator("#id_area").select_option(RIGHT_BANNER)
    page.locator("#in-force button[type=submit]").click()
    threshold = page.locator("#in-force-monitoring_threshold")
    expect(threshold).to_contain_text("7,600")
    expect(threshold).to_contain_text("沿用 2024 年数值")
    expect(page.locator("#carried-forward-note")).to_be_visible()
    expect(page).to_have_url(re.compile(r"year=2025"))
    snapshot(page, request, "6-in-force")

    assert errors == []
    assert outside_requests == []


def test_pages_around_the_flow_compare_new_pack_in_force_and_refusals(  # noqa: PLR0917 (pytest fixtures)
    page, outside_requests, league_pack, league_officer, banner_officer, request
):
    draft = pack_draft_from(actor=league_officer, pack=league_pack)
    pack_set_value(
        actor=league_officer, pack=draft, key=THRESHOLD, year=2023, value=7300, source="盟文件"
    )
    login(page, league_officer)

    page.goto(f"/policy/compare/?old={league_pack.pk}&new={draft.pk}")
    changed = page.locator("#change-monitoring_threshold-2023")
    expect(changed).to_contain_text("变更")
    expect(changed.locator("td.old s")).to_have_text("7,000")
    expect(changed.locator("td.new b")).to_have_text("7,300")
    snapshot(page, request, "1-compare")

    page.goto("/policy/packs/new/")
    expect(page.locator("#id_area option")).to_contain_text(["阿拉善盟 (盟/市)"])
    snapshot(page, request, "2-new")

    page.goto(f"/policy/packs/{league_pack.pk}/draft/")
    expect(page.locator("#id_effective_from")).to_have_value("2023-01-01")
    snapshot(page, request, "3-draft-form")

    # A published pack offers no form: its edit address says why and changes nothing.
    response = page.goto(f"/policy/packs/{league_pack.pk}/value/?key={THRESHOLD}&year=2023")
    assert response is not None and response.status == 409
    expect(page.locator("#immutable h1")).to_have_text("已发布的版本不可更改")
    snapshot(page, request, "4-immutable")

    page.context.clear_cookies()
    login(page, banner_officer)
    page.goto("/policy/in-force/?year=2024")  # the area is theirs: 阿拉善右旗
    expect(page.locator("#id_area")).to_have_value(RIGHT_BANNER)
    expect(page.locator("#in-force-monitoring_threshold")).to_contain_text("沿用 2023 年数值")
    snapshot(page, request, "5-in-force")

    response = page.goto(f"/policy/packs/{draft.pk}/publish/")
    assert response is not None and response.status == 403
    expect(page.locator("main h1")).to_have_text("无权操作")
    snapshot(page, request, "6-forbidden")
    assert PolicyPack.objects.get(pk=draft.pk).status == PackStatus.DRAFT
    assert outside_requests == []
