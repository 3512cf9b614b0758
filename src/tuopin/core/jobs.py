"""Background jobs with visible progress.

A job is a row (who started what, how it ended) plus a progress file in
``$TUOPIN_DATA_DIR/jobs/<id>.json`` that the running work rewrites as it goes. The file, not
the row, carries live progress: the work runs inside one transaction (all or nothing), and
on SQLite a second writer would wait for it anyway. Web servers and workers share the data
directory, as they share uploads.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from tuopin.core.models import Job, JobState


def _progress_path(job_id: Any) -> Path:
    folder = Path(settings.DATA_DIR) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.json"


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def job_create(*, kind: str, actor: Any, params: dict[str, Any]) -> Job:
    user = actor if getattr(actor, "is_authenticated", False) else None
    job = Job.objects.create(kind=kind, created_by=user, params=params)
    write_progress(job.id, Progress(message=""))
    return job


def write_progress(job_id: Any, progress: Progress) -> None:
    path = _progress_path(job_id)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(progress)), encoding="utf-8")
    temporary.replace(path)


def read_progress(job_id: Any) -> Progress:
    try:
        return Progress(**json.loads(_progress_path(job_id).read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return Progress()


class ProgressReporter:
    """Passed to long work; writes progress at most every ``interval`` seconds."""

    def __init__(self, job_id: Any | None, *, interval: float = 0.5, echo: Any = None) -> None:
        self.job_id = job_id
        self.interval = interval
        self.echo = echo
        self._last = 0.0
        self.progress = Progress()

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        self.progress = Progress(done, total, message)
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        if self.job_id is not None:
            write_progress(self.job_id, self.progress)
        if self.echo is not None:
            self.echo(self.progress)


def job_mark_running(job_id: Any) -> None:
    Job.objects.filter(pk=job_id).update(state=JobState.RUNNING)


def job_finish(job_id: Any, *, ok: bool, result: dict[str, Any], message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.SUCCEEDED if ok else JobState.FAILED,
        result=result,
        message=message[:500],
        finished_at=timezone.now(),
    )
