"""Thin Celery tasks: each calls one service. Work is found by flags, so tasks take no ids
and a lost or repeated message is harmless."""

from __future__ import annotations

from celery import shared_task

from tracker.events.locks import exclusive_run

# A beat-driven run stops before Celery's soft time limit; the next run picks up the rest.
PROCESS_BUDGET_SECONDS = 240
# Beat fires every minute; a run still going holds this lock so two runs never cluster at once.
PROCESS_LOCK_NAME = "events:process-pending"
PROCESS_LOCK_SECONDS = PROCESS_BUDGET_SECONDS + 60


@shared_task(name="tracker.events.tasks.process_pending", ignore_result=True)
def process_pending_task() -> dict:
    from tracker.events.pipeline import process_pending

    with exclusive_run(PROCESS_LOCK_NAME, timeout_seconds=PROCESS_LOCK_SECONDS) as acquired:
        if not acquired:
            return {"skipped": "another run is in progress"}
        return process_pending(max_seconds=PROCESS_BUDGET_SECONDS).as_dict()


@shared_task(name="tracker.events.tasks.events_merge_pass", ignore_result=True)
def events_merge_pass_task() -> int:
    from tracker.events.pipeline import merge_pass

    return merge_pass()


@shared_task(name="tracker.events.tasks.event_refresh", ignore_result=True)
def event_refresh_task(event_id: int) -> None:
    from tracker.events.models import Event
    from tracker.events.services import event_refresh

    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        event_refresh(event=event)
