"""Whether a run of a task is already waiting in the queue, whichever queue the site uses
(settings.TASKS): the database queue (django-tasks-db) or RQ on Redis (django-tasks-rq,
docs/deployment.md, "More than one server"). The daily rounds ask before queueing their
next run, so that `--schedule` run twice, or on two servers, queues one."""

from typing import Any

from django.conf import settings


def waiting(task: Any) -> bool:
    """A run of `task` is queued and not yet started (ready now, or due later)."""
    if str(settings.TASKS[task.backend]["BACKEND"]).startswith("django_tasks_rq."):
        return _waiting_in_rq(task)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def _waiting_in_rq(task: Any) -> bool:
    import django_rq
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    queue = django_rq.get_queue(task.queue_name)
    ids = [*ScheduledJobRegistry(queue=queue).get_job_ids(), *queue.get_job_ids()]
    jobs = Job.fetch_many(ids, connection=queue.connection)
    return any(job is not None and job.func_name == task.module_path for job in jobs)
