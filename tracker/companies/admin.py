from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from tracker.companies.models import Company, CompanyAlias, CompanyRelation, OrganisationCandidate
from tracker.companies.services import (
    alias_is_acronym,
    alias_normalize,
    candidate_accept_as_alias,
    candidate_accept_as_company,
    candidate_reject,
)


class CompanyAliasForm(forms.ModelForm):
    class Meta:
        model = CompanyAlias
        fields = ("alias", "case_sensitive")

    def clean(self):
        cleaned = super().clean()
        alias = (cleaned.get("alias") or "").strip()
        if not alias:
            raise ValidationError("An alias cannot be empty.")
        normalized = alias_normalize(alias)
        clash = CompanyAlias.objects.filter(normalized=normalized).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(f"{alias!r} already names {clash.company}.")
        self.instance.normalized = normalized
        if not cleaned.get("case_sensitive") and alias_is_acronym(alias) and not self.instance.pk:
            cleaned["case_sensitive"] = True
        return cleaned


class CompanyAliasInline(admin.TabularInline):
    model = CompanyAlias
    form = CompanyAliasForm
    extra = 1


class RelationInline(admin.TabularInline):
    model = CompanyRelation
    fk_name = "from_company"
    extra = 0
    raw_id_fields = ("to_company",)
    verbose_name = "relation"


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "aliases__alias")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CompanyAliasInline, RelationInline]
    list_select_related = ("country",)


@admin.register(CompanyRelation)
class CompanyRelationAdmin(admin.ModelAdmin):
    list_display = ("from_company", "kind", "to_company", "jurisdiction")
    list_filter = ("kind",)
    raw_id_fields = ("from_company", "to_company")
    list_select_related = ("from_company", "to_company", "jurisdiction")


class AcceptAsAliasForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.all(), help_text="The organisation these names belong to."
    )


@admin.register(OrganisationCandidate)
class OrganisationCandidateAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "mention_count", "first_seen_at", "company")
    list_filter = ("status",)
    search_fields = ("name", "example_context")
    readonly_fields = (
        "normalized",
        "mention_count",
        "example_context",
        "first_seen_url",
        "first_seen_at",
        "company",
    )
    actions = ["accept_as_company", "accept_as_alias", "reject"]

    def _each(self, request, queryset, action, **kwargs):
        done = 0
        for candidate in queryset:
            try:
                action(candidate=candidate, **kwargs)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{candidate.name}: {'; '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} candidate(s) updated.", messages.SUCCESS)

    @admin.action(description="Accept as new organisations")
    def accept_as_company(self, request, queryset):
        self._each(request, queryset, candidate_accept_as_company)

    @admin.action(description="Accept as another name of an existing organisation")
    def accept_as_alias(self, request, queryset):
        if "apply" in request.POST:
            form = AcceptAsAliasForm(request.POST)
            if form.is_valid():
                self._each(request, queryset, candidate_accept_as_alias, company=form.cleaned_data["company"])
                return None
        else:
            form = AcceptAsAliasForm()
        return render(
            request,
            "admin/companies/accept_as_alias.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "candidates": queryset,
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Reject (not an organisation)")
    def reject(self, request, queryset):
        self._each(request, queryset, candidate_reject)
