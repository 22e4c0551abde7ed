from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "tracker.news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker.news import lookups

        lookups.register()
