"""Clustering scores without the database: the second look at near misses."""

from datetime import UTC, datetime

from tracker.events import clustering

WHEN = datetime(2025, 1, 13, 12, tzinfo=UTC)
REPORT = (
    "Ministry unveils harbour compute charter with three tiers of partner states",
    "The ministry on Monday published the Harbour Compute Charter, an interim rule that sorts partner "
    "states into three tiers. Buyers in the first tier face no limits. States in the middle tier face "
    "caps on imported accelerator capacity. Operators can apply for trusted operator standing and "
    "import more. The Harbour Compute Charter also covers model weights. Officials said trusted "
    "operator standing would be reviewed every year, and that the charter takes effect in May.",
)
OTHER_STORIES = [
    (
        "Regulator fines ferry operator over timetable data leak",
        "The maritime regulator fined a ferry operator after passenger timetable data leaked. The "
        "operator said it would appeal the decision in court.",
    ),
    (
        "Parliament votes on broadband subsidy for rural valleys",
        "Lawmakers approved a broadband subsidy for rural valleys. Telecom firms welcomed the vote "
        "while critics said the budget was too small.",
    ),
    (
        "Chipmaker opens wafer plant in northern province",
        "A chipmaker opened a wafer plant in the northern province. The plant will employ two "
        "thousand workers and make memory for phones.",
    ),
]
# Commentary on the charter, worded unlike the report but naming what it names.
COMMENTARY = (
    "Southern members left below the top tier",
    "Seven southern members sit in the middle tier of partner states. Envoys are unhappy. Under the "
    "Harbour Compute Charter, firms can still apply for trusted operator standing and import more "
    "of accelerators. Envoys want the list reconsidered.",
)


def index_of(stories):
    index = clustering.EventIndex()
    for key, (title, text) in enumerate(stories):
        profile = clustering.profile_add(
            {},
            vector=clustering.term_vector(title, text),
            companies=[],
            jurisdictions=[],
            published=WHEN,
            phrases=clustering.phrases(title, text),
        )
        index.put(clustering.Candidate(key=key, profile=profile))
    return index


def place(index, title, text, *, with_phrases=True):
    vector = clustering.term_vector(title, text)
    index.documents_add([vector])
    return index.best(
        vector=vector,
        companies=set(),
        jurisdictions=set(),
        published=WHEN,
        phrases=clustering.phrases(title, text) if with_phrases else None,
    )


def test_a_near_miss_sharing_rare_phrases_joins_the_event():
    key, score = place(index_of([REPORT, *OTHER_STORIES]), *COMMENTARY, with_phrases=False)
    assert key == 0
    assert clustering.NEAR_MISS_THRESHOLD <= score < clustering.JOIN_THRESHOLD

    assert place(index_of([REPORT, *OTHER_STORIES]), *COMMENTARY) == (0, clustering.JOIN_THRESHOLD)


def test_too_few_shared_phrases_leave_a_near_miss_out():
    title, text = COMMENTARY
    # Without "and import more" it shares three phrases with the report, not four.
    text = text.replace(" and import more of accelerators", " for accelerators")
    key, score = place(index_of([REPORT, *OTHER_STORIES]), title, text)
    assert key == 0
    assert clustering.NEAR_MISS_THRESHOLD <= score < clustering.JOIN_THRESHOLD


def test_phrases_many_events_use_are_not_rare():
    # The charter's name and its standing recur across several stories of the window.
    echoes = [
        (
            f"Follow-up {n}: the Harbour Compute Charter and wafer exports",
            "Under the Harbour Compute Charter, a wafer exporter can apply for trusted operator "
            f"standing and import more testers for plant number {'abcdef'[n]}.",
        )
        for n in range(clustering.RARE_PHRASE_MAX_EVENTS + 1)
    ]
    stories = [REPORT, *OTHER_STORIES, *echoes]
    key, score = place(index_of(stories), *COMMENTARY, with_phrases=False)
    assert key == 0
    assert clustering.NEAR_MISS_THRESHOLD <= score < clustering.JOIN_THRESHOLD
    assert place(index_of(stories), *COMMENTARY) == (key, score)


def test_phrases_accumulate_in_the_profile_and_survive_a_merge():
    charter = clustering._phrase_hash("harbour compute charter")
    phrases = clustering.phrases(*REPORT)
    assert phrases[charter] == 3  # title and text
    assert clustering.phrases_unpack(clustering.phrases_pack(phrases)) == phrases

    def add(profile):
        return clustering.profile_add(
            profile, vector={}, companies=[], jurisdictions=[], published=WHEN, phrases=phrases
        )

    one = add({})
    two = add(one)
    assert clustering.phrases_unpack(two["phrases"])[charter] == 6
    assert clustering.phrases_unpack(clustering.profile_merge(one, two)["phrases"])[charter] == 9
    # Profiles stored before phrases existed still load and merge.
    assert "phrases" not in clustering.profile_merge({"terms": {"a": 1.0}}, {"terms": {"b": 1.0}})
