"""One wording for dates and ages, and one description of every entry kind."""

from __future__ import annotations

import datetime as dt

import pytest

from chronology_app.core.dates import parse_expression
from chronology_app.core.model import vocabulary
from chronology_app.core.wording import age, child_age, date_shown

ON = dt.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("2019-03-12", "12 March 2019"),
        ("2019-03-12T14:30", "12 March 2019 at 14:30"),
        ("2019-03", "March 2019"),
        ("2019", "2019"),
        ("2019-03-01/2019-03-15", "between 1 and 15 March 2019"),
        ("about 2019-03", "about March 2019 (between 1 February and 30 April 2019)"),
        ("before 2000", "before 2000 (up to 31 December 1999)"),
    ],
)
def test_a_date_reads_the_british_way(expression: str, shown: str) -> None:
    assert date_shown(parse_expression(expression)) == shown


def test_the_practitioners_wording_is_kept() -> None:
    assert date_shown(parse_expression("2019-03").with_wording("early March 2019")) == (
        "early March 2019"
    )


@pytest.mark.parametrize(
    ("born", "shown"),
    [
        (None, "not known"),
        ("2025-01-01", "not yet born"),
        ("1990-06-15", "34"),
        ("1990-06-16", "33"),
        ("before 2000", "at least 24"),
        ("after 2020", "under 4"),
        ("about 1990", "about 33"),
        ("1990", "about 33"),
    ],
)
def test_an_age_reads_the_same_everywhere(born: str | None, shown: str) -> None:
    assert age(parse_expression(born) if born else None, ON) == shown


@pytest.mark.parametrize(
    ("born", "shown"),
    [
        ("2024-06-14", "1 day"),
        ("2024-06-05", "10 days"),
        ("2024-05-01", "6 weeks"),
        ("2023-09-01", "9m"),
        ("2022-03-10", "2y 3m"),
        ("2025-01-01", "not yet born"),
        ("before 2000", "at least 24"),
        (None, "not known"),
    ],
)
def test_a_young_childs_age_in_weeks_and_months(born: str | None, shown: str) -> None:
    assert child_age(parse_expression(born) if born else None, ON) == shown


def test_every_kind_is_described_once_with_known_groups_roles_and_attributes() -> None:
    for kind in vocabulary.KINDS.values():
        assert kind.groups <= set(vocabulary.GROUPS), kind.id
        assert set(kind.typical_roles) <= set(vocabulary.ENTRY_ROLES), kind.id
        for attribute in kind.attributes:
            assert attribute.type in {"text", "bool", "date", "int", "choice", "answers"}
            assert (attribute.type in {"choice", "answers"}) == bool(attribute.choices)
    assert vocabulary.kinds_in("da_event") == {"incident", "disclosure", "police_action"}
    assert vocabulary.kinds_in("history") == {"police_action", "court_order"}
    assert {
        "relationship_start",
        "separation",
        "reconciliation",
    } == vocabulary.RELATIONSHIP_ENTRY_KINDS
    with pytest.raises(KeyError):
        vocabulary.kinds_in("no such group")


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("alleged_perpetrator", "alleged perpetrator"),
        ("nfa", "no further action"),
        ("nrpf", "no recourse to public funds"),
        ("injury", "injury"),
        ("some_local_tag", "some local tag"),
    ],
)
def test_words_of_the_format_read_in_plain_words(word: str, read: str) -> None:
    assert vocabulary.reading(word) == read


def test_entry_kinds_read_as_the_app_names_them() -> None:
    assert vocabulary.kind_label("marac_referral") == "MARAC referral"
    assert vocabulary.kind_label("dvds") == "DVDS (Clare's Law)"
    assert vocabulary.kind_label("injury") == "Injury"
