from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from tracker.claims.models import Citation, Claim, ClaimArticle
from tracker.claims.services import claim_set_status, claim_unlock


class ClaimArticleInline(admin.TabularInline):
    model = ClaimArticle
    extra = 0
    fields = ("article", "stance", "cited_name", "reported_text", "reported_value", "quote")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False  # carriers come from extraction, not from hand entry


def _set_status(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim], status: str):
    done = 0
    for claim in queryset:
        try:
            claim_set_status(claim=claim, status=status)
        except ValidationError as error:
            modeladmin.message_user(request, f"{claim}: {'; '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    modeladmin.message_user(request, f"{done} claim(s) marked {status} and locked.", messages.SUCCESS)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "short_text",
        "kind",
        "status",
        "independent_source_count",
        "article_count",
        "original_reporter_name",
        "editor_locked",
        "event",
    )
    list_filter = ("status", "kind", "editor_locked", "unit", ("event", admin.EmptyFieldListFilter))
    search_fields = ("text", "attributed_to_name", "original_reporter_name", "fingerprint")
    list_select_related = ("event",)
    raw_id_fields = ("event", "attributed_to", "original_reporter")
    filter_horizontal = ("about_companies",)
    readonly_fields = (
        "fingerprint",
        "status",
        "editor_locked",
        "independent_source_count",
        "article_count",
        "first_seen_at",
        "created_at",
        "updated_at",
    )
    inlines = [ClaimArticleInline]
    actions = ["mark_verified", "mark_false", "unlock"]

    @admin.display(description="claim", ordering="text")
    def short_text(self, obj: Claim) -> str:
        return obj.text[:140]

    @admin.action(description="Mark verified (locks the status)")
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        _set_status(self, request, queryset, Claim.Status.VERIFIED)

    @admin.action(description="Mark false (locks the status)")
    def mark_false(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        _set_status(self, request, queryset, Claim.Status.FALSE)

    @admin.action(description="Unlock: let corroboration set the status again")
    def unlock(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        for claim in queryset:
            claim_unlock(claim=claim)
        self.message_user(request, f"{queryset.count()} claim(s) unlocked and recomputed.", messages.SUCCESS)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("cited_name", "kind", "cited_source", "cited_company", "article")
    list_filter = ("kind", ("cited_source", admin.EmptyFieldListFilter))
    search_fields = ("cited_name", "quote", "article__title")
    list_select_related = ("cited_source", "cited_company", "article")
    raw_id_fields = ("article", "cited_source", "cited_company")
