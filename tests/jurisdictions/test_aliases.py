"""Jurisdictions are recognised by their names, demonyms, capitals and other names."""

from tracker.companies.mentions import matcher_get
from tracker.jurisdictions.models import Jurisdiction


def _codes(text: str) -> set[str]:
    found = matcher_get().analyse(title="", text=text).jurisdictions
    return set(Jurisdiction.objects.filter(pk__in=found).values_list("code", flat=True))


def test_aliases_name_their_jurisdiction(reference_data):
    assert _codes("Developers in mainland China") == {"CN"}
    assert _codes("Beijing said Chinese firms would adapt") == {"CN"}
    assert _codes("Hong Kong users") == {"HK"}
    assert _codes("Washington and American officials; the US and the U.S. agree") == {"US"}
    assert _codes("Brussels and the European Union") == {"EU"}
    assert _codes("the UK, Japan, the Netherlands, South Korea, Taiwan and India") == {
        "GB",
        "JP",
        "NL",
        "KR",
        "TW",
        "IN",
    }
    assert _codes("the UAE and Saudi Arabia, Singapore, Italy, Ireland, Germany, France, Russia") == {
        "AE",
        "SA",
        "SG",
        "IT",
        "IE",
        "DE",
        "FR",
        "RU",
    }


def test_short_codes_need_their_capitals(reference_data):
    assert _codes("let us see; the eu-ro; uk") == set()


def test_territories_and_members_have_parents(reference_data):
    assert Jurisdiction.objects.get(code="HK").parent.code == "CN"
    assert Jurisdiction.objects.get(code="NL").parent.code == "EU"
