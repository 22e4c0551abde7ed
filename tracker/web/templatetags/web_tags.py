"""Template helpers for the dashboard: event dates with their precision, sanitised HTML, URLs."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from tracker.events.models import Event
from tracker.web.sanitize import clean_html

register = template.Library()


@register.filter
def event_date_display(event: Event) -> str:
    """The event date only as precise as it is known: '9 Jul 2024', 'July 2024', '2024'."""
    date = event.event_date
    if date is None:
        return "date unknown"
    precision = event.date_precision
    if precision == Event.DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == Event.DatePrecision.MONTH:
        return f"{date:%B %Y}"
    text = f"{date.day} {date:%b %Y}"
    if precision == Event.DatePrecision.UNKNOWN:
        return f"about {text}"
    return text


@register.filter
def sanitised(value: str) -> SafeString:
    """Outlet-provided HTML through the allow-list sanitiser."""
    return mark_safe(clean_html(value))  # clean_html is an allow-list sanitiser


@register.simple_tag
def select_options(choices: list[tuple[str, str]], selected: str) -> SafeString:
    """<option>s for a filter <select>, built in one pass: a template loop over hundreds of
    companies was most of the timeline's render time."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label) for value, label in choices),
    )


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.0f}%"
