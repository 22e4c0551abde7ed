"""Thin Celery tasks: each calls one service. Work is found by flags, so tasks take no ids
and a lost or repeated message is harmless."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

# A beat-driven run stops before Celery's soft time limit; the next run picks up the rest.
PROCESS_BUDGET_SECONDS = 240
# Beat fires every minute; a run still going holds this lock so two runs never cluster at once.
PROCESS_LOCK_KEY = "tracker:events:process-pending-lock"
PROCESS_LOCK_SECONDS = PROCESS_BUDGET_SECONDS + 60


@shared_task(name="tracker.events.tasks.process_pending", ignore_result=True)
def process_pending_task() -> dict:
    from tracker.events.pipeline import process_pending

    if not cache.add(PROCESS_LOCK_KEY, 1, PROCESS_LOCK_SECONDS):
        return {"skipped": "another run is in progress"}
    try:
        return process_pending(max_seconds=PROCESS_BUDGET_SECONDS).as_dict()
    finally:
        cache.delete(PROCESS_LOCK_KEY)


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
