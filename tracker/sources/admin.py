from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from scrapers.errors import ScraperError
from tracker.news.services import pipeline_dispatch
from tracker.sources.models import Feed, FetchLog, Source
from tracker.sources.services import feed_discover, feed_poll, url_validate


class FeedForm(forms.ModelForm):
    """Checks a feed URL the way feed_create does: http(s) only, public address, canonical spelling."""

    class Meta:
        model = Feed
        fields = [
            "source",
            "url",
            "kind",
            "title",
            "active",
            "next_fetch_at",
            "fetch_interval_seconds",
            "created_at",
        ]

    def clean_url(self) -> str:
        return url_validate(self.cleaned_data["url"])


class FeedInline(admin.TabularInline):
    model = Feed
    form = FeedForm
    extra = 0
    fields = ("url", "kind", "active", "last_status", "consecutive_errors", "last_error", "next_fetch_at")
    readonly_fields = ("last_status", "consecutive_errors", "last_error", "next_fetch_at")
    show_change_link = True


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "kind", "country", "owner_group", "active", "feed_count")
    list_filter = ("kind", "active", "country")
    search_fields = ("name", "domain", "owner_group")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]
    actions = ["discover_feeds"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country").annotate(_feed_count=Count("feeds"))

    @admin.display(description="Feeds", ordering="_feed_count")
    def feed_count(self, obj: Source) -> int:
        return obj._feed_count

    @admin.action(description="Discover feeds from the homepage")
    def discover_feeds(self, request, queryset):
        for source in queryset:
            try:
                feeds = feed_discover(source=source)
            except (ValidationError, ScraperError) as exc:
                self.message_user(request, f"{source}: {exc}", messages.ERROR)
                continue
            found = ", ".join(feed.url for feed in feeds) or "none"
            self.message_user(request, f"{source}: {len(feeds)} feed(s): {found}", messages.SUCCESS)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedForm
    list_display = (
        "url",
        "source",
        "kind",
        "active",
        "healthy",
        "last_status",
        "consecutive_errors",
        "short_error",
        "last_fetched_at",
        "next_fetch_at",
        "fetch_interval_seconds",
    )
    list_filter = ("kind", "active", "last_status", "source__kind")
    search_fields = ("url", "title", "source__name", "last_error")
    list_select_related = ("source",)
    autocomplete_fields = ("source",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_status",
        "last_error",
        "consecutive_errors",
        "last_fetched_at",
        "last_new_item_at",
    )
    actions = ["poll_now"]

    @admin.display(boolean=True, description="Healthy")
    def healthy(self, obj: Feed) -> bool:
        return obj.is_healthy

    @admin.display(description="Last error")
    def short_error(self, obj: Feed) -> str:
        return obj.last_error[:120]

    @admin.action(description="Poll now")
    def poll_now(self, request, queryset):
        feeds = list(queryset.select_related("source"))
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            # With a worker, a poll of many pages must not hold the editor's request open.
            from tracker.sources.tasks import feed_poll_task

            for feed in feeds:
                feed_poll_task.delay_on_commit(feed.pk)
            self.message_user(
                request, f"Queued {len(feeds)} feed poll(s); results appear in the fetch log.", messages.INFO
            )
            return
        changed = False
        for feed in feeds:
            result = feed_poll(feed=feed)
            changed |= result.changed
            if result.ok:
                self.message_user(
                    request,
                    f"{feed.url}: HTTP {result.status}, {result.new} new, {result.updated} updated"
                    + (f", {len(result.entry_errors)} entries failed" if result.entry_errors else ""),
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, f"{feed.url}: {result.error}", messages.ERROR)
        if changed:
            pipeline_dispatch()


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = (
        "feed",
        "started_at",
        "status_code",
        "ok",
        "new_items",
        "updated_items",
        "duration_ms",
        "error",
    )
    list_filter = ("ok", "status_code")
    search_fields = ("feed__url", "error")
    list_select_related = ("feed",)
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
