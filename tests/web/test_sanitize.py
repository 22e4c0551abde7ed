import threading

import nh3
import pytest

from tracker.web.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, clean_html, clean_text
from tracker.web.search import _clean_headline

HOSTILE = [
    '<p onclick="x()">Chips <b>rule</b><script>alert(1)</script></p>',
    '<a href="javascript:alert(1)">bad</a> <a href="https://a.example" target="_blank">ok</a>',
    '<img src=x onerror="alert(1)">caption &amp; more <mark>hit</mark> <iframe src="https://e.example"></iframe>',
    "5 < 6 and 7 > 3 & so on",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_shared_sanitisers_give_what_a_fresh_one_gives(value):
    """The cleaners are built once; their output is exactly nh3.clean's with the same rules."""
    assert clean_html(value) == nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    assert _clean_headline(value) == nh3.clean(value, tags={"mark"}, attributes={})


def test_what_the_sanitisers_keep_and_drop():
    html = clean_html(HOSTILE[0] + HOSTILE[1] + HOSTILE[2])
    assert (
        "<script" not in html
        and "onclick" not in html
        and "onerror" not in html
        and "javascript:" not in html
    )
    assert "<b>rule</b>" in html and 'rel="noopener noreferrer"' in html and "<iframe" not in html
    assert clean_text("<b>Chips</b> &amp; <i>wafers</i>") == "Chips & wafers"
    assert _clean_headline('Export <mark>controls</mark> <b onclick="x">now</b> 1 < 2') == (
        "Export <mark>controls</mark> now 1 &lt; 2"
    )
    assert _clean_headline(None) == ""


def test_the_shared_sanitisers_work_from_many_threads():
    results = []

    def work():
        results.extend(clean_html(HOSTILE[0]) for _ in range(200))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and set(results) == {clean_html(HOSTILE[0])}
