"""Background work of the rules: a sweep started from the web."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from tuopin.accounts.models import User
from tuopin.areas.models import Area
from tuopin.core.jobs import (
    ProgressReporter,
    job_create,
    job_finish,
    job_mark_running,
)
from tuopin.rules.sweep import sweep_run

JOB_KIND = "rules.sweep"


def run_sweep(*, job_id: str, year: int, area_code: str, username: str | None) -> dict[str, Any]:
    """Sweep as ``username`` and record the run on the job."""
    job_mark_running(job_id)
    reporter = ProgressReporter(job_id)
    actor = User.objects.filter(username=username, is_active=True).first() if username else None
    area = Area.objects.filter(code=area_code).first()
    if (username and actor is None) or area is None:
        job_finish(job_id, ok=False, result={}, message="the user or the area no longer exists")
        return {}
    run = sweep_run(
        actor=actor,
        year=year,
        area=area,
        progress=lambda done, total, message: reporter(done, total, message, force=True),
    )
    outcome = {"run": run.pk, "counts": run.counts, "clues_opened": run.clues_opened}
    job_finish(job_id, ok=True, result=outcome)
    return outcome


@task()
def sweep_task(job_id: str, year: int, area_code: str, username: str | None) -> dict[str, Any]:
    try:
        return run_sweep(job_id=job_id, year=year, area_code=area_code, username=username)
    except Exception as exc:
        job_finish(job_id, ok=False, result={"crashed": True}, message=str(exc)[:500])
        raise


def sweep_enqueue(*, actor: Any, year: int, area: Area) -> Any:
    """Start a sweep as a job the actor can watch; returns the job."""
    job = job_create(kind=JOB_KIND, actor=actor, params={"year": year, "area": area.code})
    sweep_task.enqueue(job_id=str(job.id), year=year, area_code=area.code, username=actor.username)
    job.refresh_from_db()
    return job
