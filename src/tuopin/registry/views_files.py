"""Household files on the web: upload one for import, watch the import, export the registry.

The import itself is a background job (``tasks.import_household_file``): the upload page
saves the file, starts the job and sends the user to the job's page, which follows its
progress and then shows what was written or why nothing was. A job, and the error report
it leaves, belong to the user who started it: anyone else gets a 404, as for a household
outside their areas. Exports hold only the user's areas, masked where the role requires
(``bulk.export_households`` does both).
"""

from __future__ import annotations

import datetime
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability, intervals
from tuopin.areas.models import Area
from tuopin.core.htmx import is_htmx
from tuopin.core.jobs import Progress, job_create, read_progress
from tuopin.core.models import Job, JobState
from tuopin.registry.bulk import export_households
from tuopin.registry.forms import (
    IMPORT_MODES,
    HouseholdExportForm,
    HouseholdFileUploadForm,
    HouseholdFilterForm,
)
from tuopin.registry.importers.household_file import write_household_file
from tuopin.registry.tasks import import_household_file, upload_folder

JOB_KIND = "registry.import"
RECENT_JOBS = 10
# The task names its report after the stored upload: ``<uuid>.errors.xlsx``.
REPORT_NAME = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\.errors\.xlsx$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}
# ``run_import`` reports its own steps with these plain words; the import's steps arrive
# already translated.
STEPS = {"reading": _("Reading the file"), "done": _("Done")}


def _section(request: HttpRequest) -> None:
    request.nav_section = "registry"  # type: ignore[attr-defined]


def _require(request: HttpRequest, capability: Capability) -> None:
    # A role without the capability learns nothing of these pages.
    if not has_capability(request.user, capability):
        raise Http404


def _attachment(filename: str, fallback: str) -> str:
    """``Content-Disposition`` for a download whose name may be Chinese (RFC 6266/5987):
    an ASCII ``filename`` for old clients and the real name in ``filename*``."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback) or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


# ---------------------------------------------------------------------------------------------
# Upload


def _save_upload(upload: UploadedFile, suffix: str) -> Path:
    """Store the upload under a name of our own: the client's name never reaches a path."""
    path = upload_folder() / f"{uuid.uuid4()}{suffix}"
    with path.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _display_name(name: str) -> str:
    """The client's file name as the user will recognise it, without any folder."""
    name = re.split(r"[\\/]", name)[-1]
    return "".join(c for c in name if c.isprintable())[:200] or "upload"


def _start_import(request: HttpRequest, form: HouseholdFileUploadForm) -> Job:
    upload = form.cleaned_data["file"]
    effective = form.cleaned_data["effective"]
    path = _save_upload(upload, form.suffix_of(upload.name))
    params = {
        "filename": _display_name(upload.name),
        "stored_as": path.name,
        "size": upload.size,
        "mode": form.cleaned_data["mode"],
        "effective": effective.isoformat() if effective else None,
    }
    job = job_create(kind=JOB_KIND, actor=request.user, params=params)
    import_household_file.enqueue(
        job_id=str(job.id),
        path=str(path),
        mode=params["mode"],
        username=request.user.get_username(),
        effective=params["effective"],
    )
    return job


@login_required
def household_import(request: HttpRequest) -> HttpResponse:
    _require(request, Capability.EDIT_RECORDS)
    _section(request)
    form = HouseholdFileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _start_import(request, form)
        return redirect("registry:job", job_id=job.id)
    recent = [
        _job_row(job)
        for job in Job.objects.filter(kind=JOB_KIND, created_by=request.user)[:RECENT_JOBS]
    ]
    return render(request, "registry/import.html", {"form": form, "recent": recent})


# ---------------------------------------------------------------------------------------------
# The job


@dataclass(frozen=True)
class Outcome:
    """What an import job's result says, in the shape the page shows it."""

    refused: bool = False
    failed: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    member_rows: int = 0
    members_written: int = 0
    skipped: int = 0
    warnings: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    has_report: bool = False

    @property
    def more_errors(self) -> int:
        return max(0, self.error_count - len(self.errors))

    @property
    def nothing_changed(self) -> bool:
        """The file only repeated what the registry already holds."""
        return not (
            self.refused
            or self.failed
            or self.created
            or self.updated
            or self.skipped
            or self.error_count
        )

    @property
    def left_out(self) -> bool:
        """Good-rows mode left households out (``skipped`` misses those whose errors the
        file itself showed, so the errors count too)."""
        return bool(self.skipped or self.error_count)


def _outcome(job: Job) -> Outcome:
    result = job.result or {}
    has_report = bool(result.get("error_report"))
    if result.get("refused"):
        errors = list(result.get("errors") or [])
        return Outcome(
            refused=True,
            errors=errors,
            error_count=int(result.get("error_count") or len(errors)),
            has_report=has_report,
        )
    if job.state == JobState.FAILED:
        return Outcome(failed=True)
    errors = list(result.get("errors_list") or [])
    return Outcome(
        created=int(result.get("households_created") or 0),
        updated=int(result.get("households_updated") or 0),
        unchanged=int(result.get("households_unchanged") or 0),
        member_rows=int(result.get("rows_read") or 0),
        members_written=int(result.get("members_written") or 0),
        skipped=int(result.get("skipped_households") or 0),
        warnings=int(result.get("warnings") or 0),
        errors=errors,
        error_count=int(result.get("errors") or len(errors)),
        has_report=has_report,
    )


def _finished(job: Job) -> bool:
    return job.state in {JobState.SUCCEEDED, JobState.FAILED}


def _job_row(job: Job) -> dict[str, Any]:
    return {
        "job": job,
        "finished": _finished(job),
        "outcome": _outcome(job) if _finished(job) else None,
    }


def _own_job_or_404(request: HttpRequest, job_id: uuid.UUID) -> Job:
    job = Job.objects.filter(pk=job_id, kind=JOB_KIND, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


def _step(progress: Progress) -> Any:
    return STEPS.get(progress.message, progress.message)


@never_cache
@login_required
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The job's page; htmx polls it for the status part until the job has finished."""
    job = _own_job_or_404(request, job_id)
    _section(request)
    finished = _finished(job)
    progress = read_progress(job.id) if not finished else None
    context = {
        "job": job,
        "finished": finished,
        "progress": progress,
        "step": _step(progress) if progress else "",
        "outcome": _outcome(job) if finished else None,
        "mode_label": dict(IMPORT_MODES).get(job.params.get("mode"), ""),
        "effective": job.params.get("effective") or "",
    }
    template = "registry/_job_status.html" if is_htmx(request) else "registry/import_job.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def import_job_errors(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    """The error report: the user's own file with a column saying what is wrong per row."""
    job = _own_job_or_404(request, job_id)
    name = str((job.result or {}).get("error_report") or "")
    if not REPORT_NAME.match(name):
        raise Http404
    path = upload_folder() / name
    if not path.is_file():
        raise Http404
    stem = Path(str(job.params.get("filename") or "upload")).stem
    response = FileResponse(path.open("rb"), content_type=XLSX)
    response["Content-Disposition"] = _attachment(
        f"{stem}.errors.xlsx", f"import-{job.pk}.errors.xlsx"
    )
    return response


# ---------------------------------------------------------------------------------------------
# Export


def _overlaps_scope(request: HttpRequest, area: Area) -> bool:
    """Whether the user sees records in ``area`` or in part of it (a banner officer may ask
    for the league and get their banner)."""
    return any(
        lft <= area.lft <= rgt or area.lft <= lft <= area.rgt
        for lft, rgt in intervals(request.user, Capability.VIEW_RECORDS)
    )


@login_required
def household_export(request: HttpRequest) -> HttpResponse:
    """The household file of the user's areas (or one area of them) as of a date."""
    _require(request, Capability.VIEW_RECORDS)
    form = HouseholdExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
    code = form.cleaned_data["area"]
    area = Area.objects.filter(code=code).first() if code else None
    if code and (area is None or not _overlaps_scope(request, area)):
        raise Http404
    fmt = form.cleaned_data["format"] or "xlsx"
    on = form.cleaned_data["as_of"] or timezone.localdate()
    # Written to a temporary file, not memory: a league's export runs to tens of megabytes,
    # and a failure surfaces as an error page rather than a truncated download.
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    try:
        records = export_households(user=request.user, area_code=code or None, as_of=on)
        write_household_file(records, out, fmt=fmt)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    parts = ["households", *([area.code] if area else [])]
    named = [*parts, *([area.name] if area else []), on.isoformat()]
    response = FileResponse(out, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _attachment(
        f"{'-'.join(named)}.{fmt}", f"{'-'.join([*parts, on.isoformat()])}.{fmt}"
    )
    return response


def file_actions_context(request: HttpRequest) -> dict[str, Any]:
    """The import and export buttons of the household list; the export carries the list's
    area and as-of filters."""
    filters = HouseholdFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    query: dict[str, str] = {}
    if data.get("area_code"):
        query["area"] = data["area_code"]
    as_of: datetime.date | None = data.get("as_of")
    if as_of:
        query["as_of"] = as_of.isoformat()
    export = reverse("registry:export")
    return {
        "can_import": has_capability(request.user, Capability.EDIT_RECORDS),
        "export_xlsx": f"{export}?{urlencode({**query, 'format': 'xlsx'})}",
        "export_csv": f"{export}?{urlencode({**query, 'format': 'csv'})}",
    }


@login_required
def file_actions(request: HttpRequest) -> HttpResponse:
    """The buttons again, for the list page to refresh when its filters change."""
    _require(request, Capability.VIEW_RECORDS)
    return render(request, "registry/_file_actions.html", file_actions_context(request))
