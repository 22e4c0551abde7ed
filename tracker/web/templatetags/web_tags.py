"""Template helpers for the dashboard: event dates with their precision, sanitised HTML, URLs."""

from __future__ import annotations

from functools import lru_cache
from html import escape as html_escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from tracker.events.models import Event
from tracker.web.charts import Chart, DotTimeline
from tracker.web.glossary import INDEPENDENT_SOURCES_NOTE
from tracker.web.links import claim_url, event_url, page_url, slug_url
from tracker.web.sanitize import clean_html

register = template.Library()


# The same few hundred names, slugs and URLs (filter options, tags, sources) are escaped on every
# page: a bounded memo answers them for a tenth of html.escape's five replace() passes.
_escape_str = lru_cache(maxsize=8192)(html_escape)


def escape(text) -> str:
    """What django.utils.html.escape gives (the same html.escape), without its lazy-string wrapper
    and SafeString, which cost more than the escaping for the ~1000 values of a timeline page."""
    if type(text) is str:
        return _escape_str(text)
    return html_escape(str(text))


def day_text(value) -> str:
    """What the date filter gives for "j M Y" ("9 Jul 2024"), in the value's own time zone, without
    its translation and format lookups (several per article row of an event page). The site is
    English only; strftime's %b is the C locale's English abbreviation, as the filter's "M" is."""
    return f"{value.day} {value:%b %Y}"


def day_time_text(value) -> str:
    """The date filter's "j M Y H:i" ("9 Jul 2024 14:05"), as day_text."""
    return f"{value.day} {value:%b %Y %H:%M}"


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
    text = day_text(date)
    if precision == Event.DatePrecision.UNKNOWN:
        return f"about {text}"
    return text


@register.simple_tag
def independent_sources_note() -> str:
    """What an independent source is (tracker.web.glossary), escaped like any template value."""
    return INDEPENDENT_SOURCES_NOTE


@register.filter
def sanitised(value: str) -> SafeString:
    """Outlet-provided HTML through the allow-list sanitiser."""
    return mark_safe(clean_html(value))  # clean_html is an allow-list sanitiser


@register.simple_tag
def select_options(choices: list[tuple[str, str]], selected: str) -> SafeString:
    """<option>s for a filter <select>, built in one pass: a template loop (and then format_html)
    over hundreds of companies was most of the timeline's render time."""
    parts = []
    for value, label in choices:
        mark = " selected" if value == selected else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return mark_safe("".join(parts))  # every value and label escaped above


def _tags(kind: str, css: str, tags: list) -> str:
    if not tags:
        return ""
    links = "".join(f' <a class="{css}" href="{escape(t.url)}">{escape(t.name)}</a>' for t in tags)
    return f'<p class="tags"><span class="visually-hidden">{kind}:</span>{links}</p>'


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


@register.simple_tag
def event_row(event: Event) -> SafeString:
    """One timeline row (as rendered by selectors._timeline_rows' events), built in Python: the
    same markup as a template include, at a fraction of the cost for 25-50 rows a page."""
    if event.event_date:
        when = f'<time datetime="{event.event_date.isoformat()}">{escape(event_date_display(event))}</time>'
    else:
        when = "Date unknown"
    if event.date_precision != "day":
        when += f' <span class="precision">({escape(str(event.get_date_precision_display()).lower())} precision)</span>'
    first = ""
    if event.first_reported_by:
        first = (
            f' · first reported by <a href="{escape(event.first_reported_by_url)}">'
            f"{escape(event.first_reported_by.name)}</a>"
        )
    articles, independent = event.article_count, event.independent_source_count
    return mark_safe(  # every database value escaped above
        '<li class="event-row">\n'
        f'  <p class="event-date">{when}</p>\n'
        f'  <h3><a href="{escape(event.page_url)}">{escape(event.title)}</a></h3>\n'
        f'  <p class="meta">{articles} article{_plural(articles)} · {independent} independent '
        f"source{_plural(independent)}{first}</p>\n"
        f"  {_tags('Companies', 'tag', event.company_list)}\n"
        f"  {_tags('Jurisdictions', 'tag tag-place', event.jurisdiction_list)}\n"
        "</li>\n"
    )


def _num(value: float) -> str:
    """What a template prints for a chart number: str() unless the float needs exponent handling."""
    text = str(value)
    return text if "e" not in text else str(localize(value))


@register.filter
def chart_bars(chart: Chart) -> SafeString:
    """The <rect>s of a bar chart, built in one pass (a template loop formatted 240 numbers)."""
    return mark_safe(  # the labels are escaped; the rest are numbers
        "".join(
            f'<rect class="bar" x="{_num(b.x)}" y="{_num(b.y)}" width="{_num(b.width)}" '
            f'height="{_num(b.height)}"><title>{escape(b.label)}: {_num(b.count)}</title></rect>'
            for b in chart.bars
            if b.count
        )
    )


@register.filter
def dot_marks(dots: DotTimeline) -> SafeString:
    """The linked <circle>s of a dot timeline, built in one pass."""
    return mark_safe(  # hrefs and labels are escaped; the rest are numbers
        "".join(
            f'<a href="{escape(d.href)}" tabindex="-1"><circle class="dot" cx="{_num(d.cx)}" cy="{_num(d.cy)}" '
            f'r="{_num(d.r)}"><title>{escape(d.label)}</title></circle></a>'
            for d in dots.dots
        )
    )


@register.filter
def event_href(event: Event) -> str:
    """{% url 'web:event' event.pk event.slug|default:'event' %} without a reverse() per row."""
    return event_url(event.pk, event.slug)


@register.filter
def company_href(company) -> str:
    """{% url 'web:company' company.slug %} without a reverse() per row."""
    return slug_url("web:company", company.slug)


@register.filter
def claim_href(claim_id: int) -> str:
    """{% url 'web:claim' claim.pk %} without a reverse() per row."""
    return claim_url(claim_id)


@register.simple_tag(name="page_url")
def page_url_tag(name: str) -> str:
    """{% url name %} for a page without arguments, reversed once per script prefix."""
    return page_url(name)


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


_SEARCH_EMPTY = {
    "events": "No events.",
    "claims": "No claims.",
    "companies": "No companies.",
    "articles": "No articles.",
}


def _snippet(hit) -> str:
    return f"<p>{hit.snippet_html}</p>" if hit.snippet_html else ""


def _search_row(kind: str, hit) -> str:
    obj = hit.obj
    if kind == "events":
        return f'<li><a href="{escape(event_url(obj.pk, obj.slug))}">{hit.title_html}</a>{_snippet(hit)}</li>'
    if kind == "claims":
        n = obj.independent_source_count
        return (
            f'<li><a href="{escape(claim_url(obj.pk))}">{hit.title_html}</a> '
            f'<span class="meta">{n} independent source{_plural(n)}</span></li>'
        )
    if kind == "companies":
        return f'<li><a href="{escape(slug_url("web:company", obj.slug))}">{hit.title_html}</a>{_snippet(hit)}</li>'
    meta = escape(obj.source.name)
    if obj.published_at:
        meta += f" · {day_text(obj.published_at)}"
    if obj.event_id:
        meta += f' · <a href="{escape(event_url(obj.event_id, obj.event.slug))}">event</a>'
    return (
        f'<li><a href="{escape(obj.canonical_url)}" rel="noopener noreferrer">{hit.title_html}</a> '
        f'<span class="meta">{meta}</span>{_snippet(hit)}</li>'
    )


@register.simple_tag
def search_hits(kind: str, hits: list) -> SafeString:
    """One kind's search results as an <ol>, built in Python (a template loop over 80 hits was most
    of the search page's render time). Highlights are sanitised already (search._clean_headline)."""
    if not hits:
        return mark_safe(f"<p>{_SEARCH_EMPTY[kind]}</p>")
    rows = "".join(_search_row(kind, hit) for hit in hits)
    return mark_safe(f'<ol class="results">{rows}</ol>')  # every database value escaped or sanitised


def _article_meta(article, first_report_id) -> str:
    meta = escape(article.source.name)
    if article.published_at:
        meta += (
            f' · <time datetime="{article.published_at.isoformat()}">'
            f"{day_time_text(article.published_at)}</time>"
        )
    if article.copy_of_id is not None:
        meta += " · copy of an article in another event"
    if article.id == first_report_id:
        meta += " · <strong>first reporter</strong>"
    return meta


def _copy_row(copy) -> str:
    kind = escape(copy.get_copy_kind_display() or "copy")
    when = f" · {day_text(copy.published_at)}" if copy.published_at else ""
    return (
        f'<li><a href="{escape(copy.canonical_url)}" rel="noopener noreferrer">{escape(copy.title)}</a> '
        f'<span class="meta">{escape(copy.source.name)} · {kind}{when}</span></li>'
    )


@register.simple_tag
def article_groups(groups: list, first_report_id: int | None) -> SafeString:
    """The event page's originals with their copies folded beneath, built in one pass (the template
    loop looked up a dozen attributes per article through the template engine)."""
    if not groups:
        return mark_safe("<li>No articles are attached to this event.</li>")
    rows = []
    for group in groups:
        original = group.original
        row = (
            '<li class="article">\n'
            f'        <a href="{escape(original.canonical_url)}" rel="noopener noreferrer">{escape(original.title)}</a>\n'
            f'        <span class="meta">{_article_meta(original, first_report_id)}</span>\n'
        )
        if group.copies:
            n = len(group.copies)
            row += (
                f"        <details>\n          <summary>{n} cop{'y' if n == 1 else 'ies'}</summary>\n"
                f"          <ul>{''.join(_copy_row(c) for c in group.copies)}</ul>\n        </details>\n"
            )
        rows.append(row + "      </li>\n")
    return mark_safe("".join(rows))  # every database value escaped above
