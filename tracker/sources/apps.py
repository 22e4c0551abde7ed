from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "tracker.sources"
    default_auto_field = "django.db.models.BigAutoField"
