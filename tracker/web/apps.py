from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tracker.web"
    default_auto_field = "django.db.models.BigAutoField"
