"""The household-file pages: upload, the import job's page, its error report, and export.

Tasks run inline in tests (``TUOPIN_TASKS_BACKEND=immediate``), so an upload has finished
by the time its redirect arrives.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import EJINA, RIGHT_BANNER
from tuopin.core.jobs import Progress, job_create, job_finish, write_progress
from tuopin.core.models import AuditEntry, Job, JobState
from tuopin.demo.generator import Generator, Village
from tuopin.registry.bulk import import_households
from tuopin.registry.importers.household_file import read_household_file, write_household_file
from tuopin.registry.models import Household, Membership, Person

EFFECTIVE = "2025-01-01"
YOUQI_VILLAGES = [Village("152922103201", "152922", False), Village("152922211201", "152922", True)]
EJINA_VILLAGES = [Village("152923200201", "152923", True)]
JOB_URL = re.compile(r"^/registry/jobs/([0-9a-f-]{36})/$")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Uploads, reports and progress files in a folder of the test's own."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"


def households(villages, n, seed=7):
    return list(Generator(villages, seed=seed).households(n))


def file_bytes(records, fmt="csv") -> bytes:
    buffer = io.BytesIO()
    write_household_file(records, buffer, fmt=fmt)
    return buffer.getvalue()


def with_bad_check_digit(records, index=1):
    """``records`` with the first member of household ``index`` given a wrong check digit;
    returns the records, the bad number and the file row it stands on."""
    records = list(records)
    member = dataclasses.replace(records[index].members[0])
    member.id_number = member.id_number[:-1] + ("0" if member.id_number[-1] != "0" else "1")
    records[index] = dataclasses.replace(
        records[index], members=[member, *records[index].members[1:]]
    )
    row = 2 + sum(len(h.members) for h in records[:index])
    return records, member.id_number, row


def upload(client, content: bytes, name="households.csv", mode="all-or-nothing"):
    return client.post(
        "/registry/import/",
        {"file": SimpleUploadedFile(name, content), "mode": mode, "effective": EFFECTIVE},
    )


def job_of(response) -> Job:
    assert response.status_code == 302
    match = JOB_URL.match(response["Location"])
    assert match, response["Location"]
    return Job.objects.get(pk=match.group(1))


def download(client, url, params=None):
    """A file response and its bytes; the response is closed (its file with it)."""
    response = client.get(url, params or {})
    content = b"".join(response.streaming_content) if response.status_code == 200 else b""
    response.close()
    return response, content


def stat(html: str, name: str) -> int:
    match = re.search(rf'id="count-{name}"><b>(\d+)</b>', html)
    assert match, f"no count-{name} on the page"
    return int(match.group(1))


def error_rows(html: str) -> list[list[str]]:
    body = re.search(
        r'<table class="grid errors-table" id="import-errors">(.*?)</table>', html, re.S
    )
    assert body, "no error table on the page"
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1).split("</thead>")[1], re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_upload_creates_households_and_the_job_page_shows_the_counts(
    alxa, banner_officer, client_for
):
    records = households(YOUQI_VILLAGES, 6)
    client = client_for(banner_officer)

    job = job_of(upload(client, file_bytes(records)))

    assert job.state == JobState.SUCCEEDED
    assert job.created_by == banner_officer
    assert job.params["filename"] == "households.csv"
    assert Household.objects.count() == 6
    assert Membership.objects.filter(valid_from=datetime.date(2025, 1, 1)).count() == sum(
        len(h.members) for h in records
    )
    page = client.get(f"/registry/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert stat(html, "created") == 6
    assert stat(html, "updated") == 0
    assert stat(html, "rows") == sum(len(h.members) for h in records)
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert 'id="nothing-changed"' not in html


def test_the_upload_is_stored_under_a_name_of_its_own(alxa, banner_officer, client_for, settings):
    client = client_for(banner_officer)

    job = job_of(upload(client, file_bytes(households(YOUQI_VILLAGES, 2)), name="../../户.csv"))

    stored = [p.name for p in Path(settings.MEDIA_ROOT, "imports").iterdir()]
    assert stored == [job.params["stored_as"]]
    assert re.fullmatch(r"[0-9a-f-]{36}\.csv", stored[0])
    assert job.params["filename"] == "户.csv"


def test_upload_with_a_bad_check_digit_shows_row_and_column_and_writes_nothing(
    alxa, banner_officer, client_for
):
    records, bad_number, bad_row = with_bad_check_digit(households(YOUQI_VILLAGES, 4))
    client = client_for(banner_officer)

    job = job_of(upload(client, file_bytes(records)))

    assert job.state == JobState.FAILED
    assert not Household.objects.exists()
    assert not Person.objects.exists()
    html = client.get(f"/registry/jobs/{job.pk}/").content.decode()
    assert 'id="import-refused"' in html
    assert error_rows(html)[0][:3] == [str(bad_row), "证件号码", bad_number]
    assert f'href="/registry/jobs/{job.pk}/errors.xlsx"' in html


def test_the_error_report_downloads_as_xlsx_holding_the_bad_row(alxa, banner_officer, client_for):
    records, bad_number, bad_row = with_bad_check_digit(households(YOUQI_VILLAGES, 3))
    client = client_for(banner_officer)
    job = job_of(upload(client, file_bytes(records), name="阿拉善右旗.csv"))

    response, content = download(client, f"/registry/jobs/{job.pk}/errors.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E9%98%BF%E6%8B%89%E5%96%84%E5%8F%B3%E6%97%97.errors.xlsx" in (
        disposition
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert bad_number in rows[bad_row - 1]
    assert "证件号码" in rows[bad_row - 1][-1]


def test_another_user_gets_404_for_the_job_page_and_its_report(
    alxa, banner_officer, ejina_officer, client, client_for
):
    records, _number, _row = with_bad_check_digit(households(YOUQI_VILLAGES, 3))
    job = job_of(upload(client_for(banner_officer), file_bytes(records)))
    client.logout()

    other = client_for(ejina_officer)

    assert other.get(f"/registry/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/registry/jobs/{job.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert other.get(f"/registry/jobs/{job.pk}/errors.xlsx").status_code == 404


def test_a_job_of_another_kind_is_not_shown(alxa, banner_officer, client_for):
    job = job_create(kind="rules.sweep", actor=banner_officer, params={})

    assert client_for(banner_officer).get(f"/registry/jobs/{job.pk}/").status_code == 404


def test_the_analyst_gets_404_on_the_upload_page(alxa, analyst, client_for):
    client = client_for(analyst)

    assert client.get("/registry/import/").status_code == 404
    assert upload(client, file_bytes(households(YOUQI_VILLAGES, 1))).status_code == 404
    assert not Job.objects.exists()
    assert client.get("/registry/export/").status_code == 404


def test_an_old_excel_file_or_a_text_file_is_refused_before_any_job(
    alxa, banner_officer, client_for
):
    client = client_for(banner_officer)

    for name in ("households.xls", "households.txt", "households"):
        response = upload(client, b"whatever", name=name)
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_upload_page_offers_the_modes_and_lists_recent_imports(alxa, banner_officer, client_for):
    client = client_for(banner_officer)
    job = job_of(upload(client, file_bytes(households(YOUQI_VILLAGES, 2))))

    html = client.get("/registry/import/").content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'value="all-or-nothing"' in html
    assert 'value="good-rows"' in html
    assert re.search(r'value="all-or-nothing"[^>]*checked', html)
    assert f'href="/registry/jobs/{job.pk}/"' in html


def test_good_rows_mode_shows_the_summary_and_the_rows_left_out(alxa, banner_officer, client_for):
    records, bad_number, bad_row = with_bad_check_digit(households(YOUQI_VILLAGES, 5), index=2)
    client = client_for(banner_officer)

    job = job_of(upload(client, file_bytes(records), mode="good-rows"))

    assert job.state == JobState.SUCCEEDED
    assert Household.objects.count() == 4
    html = client.get(f"/registry/jobs/{job.pk}/").content.decode()
    assert stat(html, "created") == 4
    assert 'id="import-left-out"' in html
    assert 'id="nothing-changed"' not in html
    assert [bad_row, "证件号码", bad_number] == [
        int(error_rows(html)[0][0]),
        *error_rows(html)[0][1:3],
    ]
    report, content = download(client, f"/registry/jobs/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert bad_number in rows[1]
    assert "证件号码" in rows[1][-1]


def test_the_good_rows_report_holds_every_row_of_a_household_left_out(
    alxa, banner_officer, client_for
):
    records = households(YOUQI_VILLAGES, 5)
    index = next(i for i, h in enumerate(records) if len(h.members) >= 2)
    records, _number, _row = with_bad_check_digit(records, index=index)
    client = client_for(banner_officer)
    job = job_of(upload(client, file_bytes(records), mode="good-rows"))

    _report, content = download(client, f"/registry/jobs/{job.pk}/errors.xlsx")

    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(records[index].members)


def test_uploading_the_same_file_twice_says_nothing_changed(alxa, banner_officer, client_for):
    content = file_bytes(households(YOUQI_VILLAGES, 5), fmt="xlsx")
    client = client_for(banner_officer)
    job_of(upload(client, content, name="households.xlsx"))
    audit_rows = AuditEntry.objects.count()

    again = job_of(upload(client, content, name="households.xlsx"))

    html = client.get(f"/registry/jobs/{again.pk}/").content.decode()
    assert 'id="nothing-changed"' in html
    assert stat(html, "created") == 0
    assert stat(html, "updated") == 0
    assert stat(html, "unchanged") == 5
    assert AuditEntry.objects.count() == audit_rows


def test_the_job_page_polls_while_the_job_runs_and_htmx_gets_the_status_alone(
    alxa, banner_officer, client_for
):
    job = job_create(kind="registry.import", actor=banner_officer, params={"filename": "f.csv"})
    write_progress(job.pk, Progress(done=3, total=12, message="Writing new households"))
    client = client_for(banner_officer)

    page = client.get(f"/registry/jobs/{job.pk}/").content.decode()
    partial = client.get(f"/registry/jobs/{job.pk}/", headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="25"' in page
    assert "<noscript>" in page
    assert partial.content.decode().startswith('<div class="job-status"')
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]

    job_finish(job.pk, ok=True, result={"households_created": 12, "rows_read": 30})
    finished = client.get(f"/registry/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' not in finished.content.decode()
    assert stat(finished.content.decode(), "created") == 12


def load(records):
    buffer = io.BytesIO(file_bytes(records))
    return import_households(
        actor=None,
        parsed=read_household_file(buffer, filename="h.csv"),
        effective=datetime.date(2025, 1, 1),
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_downloads_only_the_users_areas_and_reads_back_the_same_households(
    alxa, banner_officer, client_for, fmt
):
    youqi = households(YOUQI_VILLAGES, 4)
    load(youqi + households(EJINA_VILLAGES, 2, seed=9))
    client = client_for(banner_officer)

    response, content = download(
        client, "/registry/export/", {"as_of": "2025-06-01", "format": fmt}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "households-2025-06-01" in response["Content-Disposition"]
    parsed = read_household_file(io.BytesIO(content), filename=f"export.{fmt}")
    assert parsed.errors == []
    exported = {h.code: h for h in parsed.households}
    assert sorted(exported) == sorted(h.code for h in youqi)
    # The same households as the file they were imported from, read the same way.
    uploaded = read_household_file(io.BytesIO(file_bytes(youqi)), filename="h.csv")
    for original in uploaded.households:
        again = exported[original.code]
        assert again.area_code == original.area_code
        assert again.members == original.members
        assert again.wage_income == original.wage_income
        assert again.housing_grade == original.housing_grade


def test_export_of_one_area_names_it_in_a_chinese_safe_file_name(alxa, banner_officer, client_for):
    load(households(YOUQI_VILLAGES, 2))
    client = client_for(banner_officer)

    response, content = download(
        client, "/registry/export/", {"area": RIGHT_BANNER, "as_of": "2025-06-01", "format": "csv"}
    )

    disposition = response["Content-Disposition"]
    assert f'filename="households-{RIGHT_BANNER}-2025-06-01.csv"' in disposition
    assert (
        f"filename*=UTF-8''households-{RIGHT_BANNER}-%E9%98%BF%E6%8B%89%E5%96%84%E5%8F%B3%E6%97%97"
        "-2025-06-01.csv"
    ) in disposition
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8


def test_export_of_an_area_outside_the_users_scope_is_404(alxa, banner_officer, client_for):
    client = client_for(banner_officer)

    assert client.get("/registry/export/", {"area": EJINA}).status_code == 404
    assert client.get("/registry/export/", {"area": "999999999999"}).status_code == 404
    assert client.get("/registry/export/", {"area": "12"}).status_code == 400


def test_the_list_offers_import_and_an_export_that_carries_its_filters(
    alxa, banner_officer, client_for
):
    client = client_for(banner_officer)

    html = client.get("/registry/", {"area_code": RIGHT_BANNER, "as_of": "2025-06-01"}).content
    refreshed = client.get(
        "/registry/file-actions/", {"area_code": RIGHT_BANNER, "as_of": "2025-06-01", "q": "x"}
    ).content

    export = f'href="/registry/export/?area={RIGHT_BANNER}&amp;as_of=2025-06-01&amp;format=xlsx"'
    assert export in html.decode()
    assert export in refreshed.decode()
    assert 'href="/registry/import/#import-form"' in html.decode()


def test_a_refusal_with_more_errors_than_kept_says_how_many_there_are(
    alxa, banner_officer, client_for
):
    job = job_create(kind="registry.import", actor=banner_officer, params={"filename": "f.csv"})
    errors = [{"row": n, "column": "证件号码", "value": str(n), "reason": "x"} for n in (2, 3)]
    result = {"refused": True, "errors": errors, "error_count": 1200, "error_report": ""}
    job_finish(job.pk, ok=False, result=result, message="refused")

    html = client_for(banner_officer).get(f"/registry/jobs/{job.pk}/").content.decode()

    assert [row[0] for row in error_rows(html)] == ["2", "3"]
    assert 'id="more-errors"' in html
    assert "1200" in html
    assert "errors.xlsx" not in html  # no report to offer


def test_a_job_that_could_not_run_says_nothing_was_written(alxa, banner_officer, client_for):
    job = job_create(kind="registry.import", actor=banner_officer, params={"filename": "f.csv"})
    job_finish(job.pk, ok=False, result={}, message="the importing user no longer exists")

    html = client_for(banner_officer).get(f"/registry/jobs/{job.pk}/").content.decode()

    assert 'id="import-failed"' in html
    assert 'id="import-summary"' not in html
