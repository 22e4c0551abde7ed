from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "tracker.jurisdictions"
    default_auto_field = "django.db.models.BigAutoField"
