from __future__ import annotations

from django.contrib import admin

from tracker.news.models import Article, ArticleCompany, FeedItem


class FeedItemInline(admin.TabularInline):
    model = FeedItem
    extra = 0
    fields = ("feed", "guid", "first_seen_at")
    readonly_fields = fields
    can_delete = False


class ArticleCompanyInline(admin.TabularInline):
    model = ArticleCompany
    extra = 0
    raw_id_fields = ("company",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "event", "copy_of", "revision", "is_paywalled")
    list_filter = (
        "source__kind",
        "is_paywalled",
        "copy_kind",
        "language",
        "needs_dedup",
        "needs_analysis",
        "needs_clustering",
        ("event", admin.EmptyFieldListFilter),
        "source",
    )
    search_fields = ("title", "canonical_url", "external_id", "source__name")
    list_select_related = ("source", "event", "copy_of")
    date_hierarchy = "published_at"
    raw_id_fields = ("copy_of", "event", "source")
    readonly_fields = (
        "content_hash",
        "revision",
        "content_updated_at",
        "fetched_at",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("jurisdictions",)
    inlines = [ArticleCompanyInline, FeedItemInline]


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ("guid", "feed", "article", "first_seen_at")
    search_fields = ("guid", "feed__url", "article__title")
    list_select_related = ("feed", "article")
    raw_id_fields = ("feed", "article")
