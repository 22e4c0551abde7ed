from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tracker.companies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Alias edits from the admin or a shell must reach the cached matcher of every process.
        from django.db.models.signals import post_delete, post_save

        from tracker.companies.models import CompanyAlias
        from tracker.jurisdictions.models import Jurisdiction

        for model in (CompanyAlias, Jurisdiction):
            post_save.connect(_aliases_changed, sender=model, dispatch_uid=f"mentions-save-{model.__name__}")
            post_delete.connect(_aliases_changed, sender=model, dispatch_uid=f"mentions-del-{model.__name__}")


def _aliases_changed(**kwargs) -> None:
    from tracker.companies.mentions import matcher_invalidate

    matcher_invalidate()
