"""What the site's terms mean, worded once for the pages and the feeds so they cannot drift apart."""

# "Independent sources" counts original reports, not articles: a cited report with no article in
# the event counts too, so "N articles from K sources" would be wrong. Wherever the count is
# shown, it is said what it counts: the short meaning in feed entries, the full note on pages.
INDEPENDENT_SOURCES_MEANING = "the original reports behind the articles, not the articles themselves"
INDEPENDENT_SOURCES_NOTE = (
    f"{INDEPENDENT_SOURCES_MEANING}: copies, outlets of one owner group and write-ups repeating one "
    "report count once, and a report they cite, such as a wire story or a company's statement to "
    "an outlet, counts even without an article here"
)
