from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

SRC = Path(settings.BASE_DIR)
OUTSIDE_URL = re.compile(r"""(?:src|href|url\()\s*=?\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_pages_speak_simplified_chinese_to_an_english_browser(client, league_officer):
    client.force_login(league_officer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.text
    assert response.headers["Content-Language"] == "zh-hans"


def test_chosen_language_is_kept_in_a_cookie(client, league_officer):
    client.force_login(league_officer)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    response = client.get("/")
    assert '<html lang="zh-hant">' in response.text
    assert "阿拉善盟" in response.text  # the same in both scripts
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Alxa League" in client.get("/").text


def test_every_page_forbids_loading_from_other_hosts(client, league_officer):
    client.force_login(league_officer)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("folder", ["templates", "static/tuopin"])
def test_templates_and_own_assets_reference_no_outside_host(folder):
    offenders = []
    for path in (SRC / folder).rglob("*"):
        if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg"}:
            text = path.read_text(encoding="utf-8")
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
            if OUTSIDE_URL.search(text):
                offenders.append(str(path))
    for app_templates in SRC.glob("*/templates"):
        for path in app_templates.rglob("*.html"):
            if OUTSIDE_URL.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path))
    assert offenders == []


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
