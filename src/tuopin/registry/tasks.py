"""Background work of the registry: importing an uploaded household file."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from tuopin.accounts.models import User
from tuopin.core.error_report import write_error_report
from tuopin.core.jobs import ProgressReporter, job_finish, job_mark_running
from tuopin.core.tabular import FileRefused
from tuopin.registry.bulk import import_households
from tuopin.registry.importers.household_file import read_household_file

UPLOADS = "imports"


def upload_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_import(
    *, job_id: str, path: str, mode: str, username: str | None, effective: str | None
) -> dict[str, Any]:
    """Import ``path`` as ``username``; record the outcome on the job. Idempotent: running
    the same job again imports nothing new (the file's households already stand)."""
    job_mark_running(job_id)
    progress = ProgressReporter(job_id)
    source = Path(path)
    actor = User.objects.filter(username=username, is_active=True).first() if username else None
    if username and actor is None:
        job_finish(job_id, ok=False, result={}, message="the importing user no longer exists")
        return {}
    progress(0, 1, "reading", force=True)
    parsed = read_household_file(source)
    report_path = source.with_suffix(".errors.xlsx")
    try:
        result = import_households(
            actor=actor,
            parsed=parsed,
            mode=mode,
            effective=datetime.date.fromisoformat(effective) if effective else None,
            progress=progress,
        )
    except FileRefused as exc:
        write_error_report(source, exc.errors, report_path, header_row=parsed.header_row)
        outcome = {
            "refused": True,
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "reason": str(e.reason)}
                for e in exc.errors[:500]
            ],
            "error_count": len(exc.errors),
            "error_report": report_path.name,
        }
        job_finish(job_id, ok=False, result=outcome, message="refused")
        return outcome
    outcome = result.as_dict()
    if result.errors:
        write_error_report(
            source, result.errors, report_path, header_row=parsed.header_row, only_bad_rows=True
        )
        outcome["error_report"] = report_path.name
        outcome["errors_list"] = [
            {"row": e.row, "column": e.column, "value": e.value, "reason": str(e.reason)}
            for e in result.errors[:500]
        ]
    progress(1, 1, "done", force=True)
    job_finish(job_id, ok=True, result=outcome)
    return outcome


@task()
def import_household_file(
    job_id: str, path: str, mode: str, username: str | None, effective: str | None = None
) -> dict[str, Any]:
    try:
        return run_import(
            job_id=job_id, path=path, mode=mode, username=username, effective=effective
        )
    except Exception as exc:
        # The import's transaction rolled back; say so on the job instead of running forever.
        job_finish(job_id, ok=False, result={"crashed": True}, message=repr(exc)[:500])
        raise
