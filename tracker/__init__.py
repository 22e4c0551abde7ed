"""The AI-policy news tracker: Django project package and domain apps."""

from tracker.celery import app as celery_app

__all__ = ("celery_app",)
