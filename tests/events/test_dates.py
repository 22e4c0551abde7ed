"""Event dates resolved from text against publication."""

from datetime import UTC, date, datetime

from tracker.events.dates import date_candidates, event_date_choose


def _one(text, published):
    found = date_candidates(text, published)
    assert found, text
    return found[0].value, found[0].precision, found[0].method


def test_explicit_dates():
    pub = date(2024, 7, 10)
    for text in ("on 9 July 2024", "on July 9, 2024", "on 2024-07-09", "on July 9th, 2024", "on Jul. 9 2024"):
        assert _one(text, pub) == (date(2024, 7, 9), "day", "explicit"), text


def test_month_and_year():
    assert _one("rules issued in August 2023", date(2024, 7, 10)) == (date(2023, 8, 1), "month", "explicit")


def test_dates_without_year_take_the_nearest_year():
    assert _one("access ends July 9th", date(2024, 7, 10)) == (date(2024, 7, 9), "day", "no_year")
    assert _one("on 9 July", date(2024, 7, 10)) == (date(2024, 7, 9), "day", "no_year")
    assert _one("it starts on January 3", date(2024, 12, 20)) == (date(2025, 1, 3), "day", "no_year")
    assert _one("since December 28", date(2025, 1, 2)) == (date(2024, 12, 28), "day", "no_year")


def test_weekdays_look_back_unless_the_text_looks_forward():
    monday = date(2024, 7, 8)
    assert _one("the block applies starting Tuesday", monday) == (date(2024, 7, 9), "day", "relative")
    assert _one("from Tuesday, the route is closed", monday) == (date(2024, 7, 9), "day", "relative")
    assert _one("OpenAI will cut access on Tuesday", monday) == (date(2024, 7, 9), "day", "relative")
    assert _one("the block took effect on Tuesday", date(2024, 7, 12)) == (
        date(2024, 7, 9),
        "day",
        "relative",
    )
    assert _one("it said on Monday", monday) == (monday, "day", "relative")
    assert _one("last Tuesday", date(2024, 7, 10)) == (date(2024, 7, 9), "day", "relative")


def test_relative_words():
    pub = date(2024, 7, 10)
    assert _one("yesterday", pub) == (date(2024, 7, 9), "day", "relative")
    assert _one("earlier this month", pub) == (date(2024, 7, 1), "month", "relative")
    assert _one("last month", pub) == (date(2024, 6, 1), "month", "relative")
    assert _one("last week", pub)[1] == "month"


def test_event_date_prefers_well_supported_dates_near_first_report():
    first = datetime(2024, 7, 9, 10, tzinfo=UTC)
    articles = [
        (
            "a",
            date_candidates("OpenAI blocks access starting July 9th. Rules from October 2022 apply.", first),
        ),
        (
            "b",
            date_candidates("The block took effect on Tuesday, July 9.", datetime(2024, 7, 11, tzinfo=UTC)),
        ),
        (
            "c",
            date_candidates(
                "Developers were told on Wednesday last month.", datetime(2024, 7, 12, tzinfo=UTC)
            ),
        ),
    ]
    chosen = event_date_choose(articles, first)
    assert (chosen.value, chosen.precision) == (date(2024, 7, 9), "day")
    assert "July 9th" in chosen.evidence


def test_without_dates_the_event_falls_back_to_first_publication():
    first = datetime(2024, 7, 9, 10, tzinfo=UTC)
    chosen = event_date_choose([("a", date_candidates("No dates here at all.", first))], first)
    assert (chosen.value, chosen.precision, chosen.method) == (date(2024, 7, 9), "unknown", "publication")


def test_evidence_is_cut_at_word_boundaries_and_marked():
    text = (
        "Developers building on the platform from mainland China say notices told them access "
        "ends July 9th. Start-ups in Beijing and Hangzhou were among those contacted by email."
    )
    (candidate,) = [c for c in date_candidates(text, date(2024, 7, 8)) if c.value == date(2024, 7, 9)]
    assert "July 9th" in candidate.evidence
    assert candidate.evidence.startswith("… ") and candidate.evidence.endswith(" …")
    inner = candidate.evidence.removeprefix("… ").removesuffix(" …")
    assert f" {inner} " in f" {text} "  # whole words only: no word cut in half at either end
