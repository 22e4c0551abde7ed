"""The tracker's one Celery app. Tasks are autodiscovered from the installed apps.

Configuration comes from Django settings under the CELERY_ namespace; a test checks the
effective configuration so a misspelled setting cannot be silently ignored.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from tracker.schedule import BEAT_SCHEDULE  # noqa: E402  (after the app exists, as beat reads it)

app.conf.beat_schedule = BEAT_SCHEDULE
