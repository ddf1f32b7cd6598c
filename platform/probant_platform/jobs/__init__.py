"""Background jobs on the PostgreSQL-backed procrastinate queue."""

from probant_platform.jobs.queue import enqueue, job_app, task

__all__ = ["enqueue", "job_app", "task"]
