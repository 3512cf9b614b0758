"""Background work of the statistics: refreshing a registry snapshot."""

from __future__ import annotations

import datetime
from typing import Any

from django_tasks import task

from tuopin.analytics.snapshot import refresh_snapshot
from tuopin.core.jobs import ProgressReporter, job_create, job_finish, job_mark_running

JOB_KIND = "analytics.snapshot"


def run_refresh(*, job_id: str | None, as_of: str) -> dict[str, Any]:
    """Refresh the snapshot for ``as_of`` (ISO date), reporting progress on the job.
    Idempotent: a second run for the same date replaces the snapshot with the same data."""
    if job_id is not None:
        job_mark_running(job_id)
    reporter = ProgressReporter(job_id)
    snapshot = refresh_snapshot(
        as_of=datetime.date.fromisoformat(as_of),
        progress=lambda done, total: reporter(done, total, "tables", force=done == total),
    )
    outcome = {
        "as_of": snapshot.as_of.isoformat(),
        "created_at": snapshot.created_at.isoformat(),
        "counts": snapshot.counts,
    }
    if job_id is not None:
        job_finish(job_id, ok=True, result=outcome)
    return outcome


@task()
def refresh_snapshot_task(as_of: str, job_id: str | None = None) -> dict[str, Any]:
    try:
        return run_refresh(job_id=job_id, as_of=as_of)
    except Exception as exc:
        if job_id is not None:
            job_finish(job_id, ok=False, result={"crashed": True}, message=repr(exc)[:500])
        raise


def snapshot_refresh_enqueue(*, actor: Any, as_of: datetime.date) -> Any:
    """Start a snapshot refresh as a job the actor can watch; returns the job."""
    job = job_create(kind=JOB_KIND, actor=actor, params={"as_of": as_of.isoformat()})
    refresh_snapshot_task.enqueue(as_of=as_of.isoformat(), job_id=str(job.id))
    job.refresh_from_db()
    return job
