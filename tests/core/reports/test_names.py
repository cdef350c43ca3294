"""Restricted names in every form, found by one matcher: table-driven, positive and negative."""

from __future__ import annotations

import unicodedata

import pytest

from chronology_app.core.records import PersonRecord
from chronology_app.core.reports.names import NameMatcher, normal_form, trie_pattern


def person(pid: str, name: str, *aliases: str, restricted: bool = True) -> PersonRecord:
    return PersonRecord(pid, name, aliases, None, "unknown", (), None, restricted, None)


RESTRICTED = [
    person("orlando", "Orlando Pettigrew-Blackwood"),
    person("ingrid", "Ingrid Søndergård"),
    person("zeb", "Zebedee Quartermaine", "zebedee_quartermaine77", "Zeb"),
    person("siobhan", "Siobhan O'Rourke"),
    person("greta", "Greta Vantongeren"),
    person("mary", "Mary Smith"),
    person("will", "Will Thorne"),
    person("wlad", "Władysław Strauß"),
    person("aesa", "Æsa Lindqvist"),
    person("jo", "Jo Li"),
]
OTHERS = [person("john", "John Smith", restricted=False)]
LABELS = {p.id: f"[{p.id}]" for p in RESTRICTED}
MATCHER = NameMatcher(RESTRICTED, OTHERS)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("police records write Orlando PETTIGREW", "police records write [orlando]"),
        ("Ms Blackwood attended", "[orlando] attended"),  # the title goes with the name
        ("pettigrew-blackwood and Blackwood-Pettigrew", "[orlando] and [orlando]"),
        ("Sondergard", "[ingrid]"),
        (unicodedata.normalize("NFD", "Søndergård came"), "[ingrid] came"),
        (unicodedata.normalize("NFC", "SØNDERGÅRD came"), "[ingrid] came"),
        ("Mrs Sondergaard", "Mrs Sondergaard"),  # another spelling is another name
        ("zeb.quartermaine@example.org wrote", "[zeb] wrote"),
        ("as zebedee_quartermaine77 online", "as [zeb] online"),
        ("@zquartermaine posted", "[zeb] posted"),
        ("the Quartermaines' house", "the [zeb]' house"),
        ("Quartermaine's car", "[zeb]'s car"),  # the possessive stays, the name goes
        ("Zeb was there", "[zeb] was there"),
        ("Ms O’Rourke; O'ROURKE; ORourke; Rourke", "[siobhan]; [siobhan]; [siobhan]; [siobhan]"),
        ("Siobhan, Greta and Zeb", "[siobhan], [greta] and [zeb]"),  # one label each
        ("Aunt Vantongeren visited", "[greta] visited"),
        ("Mary Smith and Smith, Mary", "[mary] and [mary]"),
        ("Mrs Smith and John Smith", "Mrs Smith and John Smith"),  # shared surname alone
        ("Will said he will come", "[will] said he will come"),  # everyday word in lower case
        ("Mr Thorne", "[will]"),
        ("Wladyslaw STRAUSS", "[wlad]"),
        ("Strauß, Władysław", "[wlad]"),
        ("Aesa came; ÆSA LINDQVIST", "[aesa] came; [aesa]"),
        ("Jo Li came; Jo came; Li came", "[jo] came; Jo came; Li came"),  # short parts alone
        ("Black\u200bwood", "[orlando]"),  # a zero-width space inside the name
        ("Blackwoods", "[orlando]"),
        ("Blackwoodford and Kingsblackwood", "Blackwoodford and Kingsblackwood"),
    ],
)
def test_every_form_is_masked_whole(text: str, masked: str) -> None:
    assert MATCHER.mask(text, LABELS) == masked


@pytest.mark.parametrize(
    ("text", "words", "certain"),
    [
        ("Ms Smith called", "Ms Smith", False),  # a part John Smith also has: to review
        ("rose petals", None, None),
        ("Mary Smith called", "Mary Smith", True),
        ("she will come", "will", False),
        ("john.smith@example.org", None, None),  # John's own e-mail: no restricted part
        ("mary.smith@example.org", "mary.smith@example.org", True),
    ],
)
def test_shared_parts_and_everyday_words_are_warnings(
    text: str, words: str | None, certain: bool | None
) -> None:
    found = MATCHER.mentions(text)
    if words is None:
        assert found == []
    else:
        assert [(m.text, m.certain) for m in found] == [(words, certain)]


def test_the_offset_map_leads_back_to_the_original_characters() -> None:
    text = unicodedata.normalize("NFD", "Før Søndergård’s visit")
    norm, origin = normal_form(text)
    assert norm == "for sondergard's visit"
    assert origin is not None and len(origin) == len(norm)
    (mention,) = MATCHER.mentions(text)
    assert mention.text == unicodedata.normalize("NFD", "Søndergård")


def test_a_deep_trie_compiles_and_matches() -> None:
    words = ["a" * n for n in range(1, 400)] + ["x" * 100_000]
    import re

    pattern = re.compile(trie_pattern(words))
    assert pattern.fullmatch("a" * 399) and pattern.fullmatch("x" * 100_000)


def test_a_huge_name_and_many_people_stay_linear() -> None:
    # Not a timing: the work is one pass, so this finishes at once; the figure is in
    # benchmarks/bench_report.py.
    huge = " ".join("Qx" + "z" * 98 for _ in range(1000))
    people = [person("huge", huge)] + [person(f"p{i}", f"Name{i} Surname{i}") for i in range(100)]
    matcher = NameMatcher(people)
    text = ("hello " + huge + " and Surname42, ") * 5
    masked = matcher.mask(text, {p.id: "X" for p in people})
    assert masked == "hello X and X, " * 5


@pytest.mark.parametrize("chain", ["a-", "a.", "a'", "a%", "a+", "x@"])
def test_punctuation_chains_before_a_name_are_read_once(chain: str) -> None:
    # Each letter of "a-a-a-…" once started an e-mail scan to the end of the text (quadratic:
    # minutes for 100,000 characters). The figure is in benchmarks/bench_report.py.
    text = chain * 20_000 + " Ms Blackwood"
    assert MATCHER.mask(text, LABELS) == chain * 20_000 + " [orlando]"
