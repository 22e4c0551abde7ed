from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from tracker.events.models import Event, ProcessingIssue, Topic
from tracker.events.services import article_move, event_edit, event_hide, event_merge
from tracker.news.models import Article


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "keywords")


class EventArticleForm(forms.ModelForm):
    move_to = forms.ModelChoiceField(
        queryset=Event.objects.filter(merged_into__isnull=True),
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": "event id"}),
        help_text="Move this article (and its copies) to another event.",
    )

    class Meta:
        model = Article
        fields = ()


class EventArticleInline(admin.TabularInline):
    model = Article
    form = EventArticleForm
    fk_name = "event"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("title", "source", "published_at", "copy_of", "copy_kind", "event_assigned_by", "move_to")
    readonly_fields = ("title", "source", "published_at", "copy_of", "copy_kind", "event_assigned_by")
    ordering = ("published_at",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "event_date",
        "date_precision",
        "status",
        "article_count",
        "independent_source_count",
        "first_reported_by",
        "editor_locked",
    )
    list_filter = ("status", "date_precision", "date_method", "editor_locked", "topics")
    search_fields = ("title", "summary")
    date_hierarchy = "event_date"
    list_select_related = ("first_reported_by",)
    filter_horizontal = ("companies", "jurisdictions", "topics")
    readonly_fields = (
        "date_method",
        "date_evidence",
        "first_reported_at",
        "first_reported_by",
        "article_count",
        "independent_source_count",
        "last_article_at",
        "merged_into",
        "profile",
        "created_at",
        "updated_at",
    )
    exclude = ("needs_refresh",)
    inlines = [EventArticleInline]
    actions = ["merge_selected", "hide_selected"]

    def save_model(self, request, obj, form, change):
        if change:
            event_edit(event=obj, changed=list(form.changed_data))
        else:
            obj.editor_locked = True
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Article:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            target = inline_form.cleaned_data.get("move_to") if inline_form.is_valid() else None
            if target is not None and target.pk != form.instance.pk:
                try:
                    article_move(article=inline_form.instance, event=target)
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        return None

    @admin.action(description="Merge selected events (into the earliest)")
    def merge_selected(self, request, queryset):
        events = list(queryset.order_by("first_reported_at", "id"))
        if len(events) < 2:
            self.message_user(request, "Choose at least two events to merge.", messages.ERROR)
            return
        try:
            event_merge(target=events[0], others=events[1:])
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(
            request, f"Merged {len(events) - 1} event(s) into “{events[0].title}”.", messages.SUCCESS
        )

    @admin.action(description="Hide selected events")
    def hide_selected(self, request, queryset):
        for event in queryset:
            event_hide(event=event)
        self.message_user(request, f"Hid {queryset.count()} event(s).", messages.SUCCESS)


@admin.register(ProcessingIssue)
class ProcessingIssueAdmin(admin.ModelAdmin):
    list_display = ("created_at", "stage", "article", "event", "message")
    list_filter = ("stage",)
    raw_id_fields = ("article", "event")
    search_fields = ("message",)
