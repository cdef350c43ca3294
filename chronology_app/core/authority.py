"""Matching across the authority on a team server, where row-level security hides the other
cases from a practitioner.

The server's narrow SECURITY DEFINER function (`chronology_authority_matches`, in
core/store/server_policies.py) looks at every case in the database, by the stored name keys
and pg_trgm's trigram index, and gives back only what a cross-case rule needs: the dates and
kinds of the other person's DA history, how many different victims it names (as tokens, never
who) and the team to contact. So a note (and a flag resting on it) says
only that another case in the authority records this person and which team to contact: never
that family, its reference, names or entries. A supervisor with access to both cases confirms
the match (Service.decide_match, which row-level security allows only to someone who sees
both); a confirmed match's history then feeds this case's rules (the returning-perpetrator
rules by its dates, the serial-perpetrator rule by its count of victims).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import text
from sqlalchemy.orm import Session

from chronology_app.core.dates import parse_expression
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.facts import ExternalEntry

ELSEWHERE = "another case in the authority (contact team {team})"


@dataclass(frozen=True)
class HiddenEntry:
    """One entry of a DA history in a case the user cannot see: its date and kind, and its
    victims as tokens (a person of the user's own case confirmed as the same, by their id
    here; anyone else as "hidden-N", counted and never named)."""

    date: str
    kind: str
    victims: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthorityNote:
    """Another case in the authority may record this person."""

    person_id: str  # the person in this case
    team: str  # the team holding the other case: the one to contact
    history_dates: tuple[str, ...]  # dates of that person's DA history there
    confirmed: bool  # a supervisor with access to both has confirmed they are the same
    history: tuple[HiddenEntry, ...] = ()  # what the rules count (never who)

    @property
    def other_victims(self) -> int:
        """How many different victims that history names (none of them identified)."""
        return len({v for entry in self.history for v in entry.victims})

    def describe(self, name: str) -> str:
        history = (
            f" with a domestic-abuse history ({', '.join(self.history_dates)})"
            if self.history_dates
            else ""
        )
        state = "is" if self.confirmed else "may be"
        return (
            f"Another case in the authority records a person who {state} {name}{history}. "
            f"Contact team {self.team}."
        )


def notes(session: Session, reference: str) -> list[AuthorityNote]:
    """The notes for one case (on a team server; a file holds the whole workspace instead)."""
    rows = session.execute(
        text("SELECT * FROM chronology_authority_matches(:reference)"), {"reference": reference}
    )
    found = {
        AuthorityNote(
            row.person_key,
            row.team,
            tuple(row.history_dates),
            bool(row.confirmed),
            tuple(
                HiddenEntry(str(item["date"]), str(item["kind"]), tuple(item["victims"]))
                for item in row.history or ()
            ),
        )
        for row in rows
    }
    return sorted(found, key=lambda n: (n.person_id, n.team, n.history_dates, n.confirmed))


def external_history(found: list[AuthorityNote]) -> Mapping[str, list[ExternalEntry]]:
    """The DA history of confirmed matches in hidden cases, as the rules take it: each entry's
    date and kind, from 'another case in the authority (contact team …)', and its victims as
    tokens no one can read a person from (the returning-perpetrator rules need only when; the
    serial-perpetrator rule counts the victims). A victim confirmed as the same as someone in
    this case keeps that person's id, so they are counted once."""
    history: dict[str, list[ExternalEntry]] = defaultdict(list)
    for note in found:
        if not note.confirmed:
            continue
        where = ELSEWHERE.format(team=note.team)
        entries = note.history or tuple(HiddenEntry(d, "police_action") for d in note.history_dates)
        for index, hidden in enumerate(entries):
            victims = tuple(
                f"{where}/{v}" if v.startswith("hidden-") else v for v in hidden.victims
            )
            entry = _dated(hidden.date, index, hidden.kind)
            history[note.person_id].append(ExternalEntry(where, entry, victims))
    return dict(history)


def _dated(date: str, index: int, kind: str = "police_action") -> EntryRecord:
    """A record holding nothing but a date (the rules read only its date and kind)."""
    return EntryRecord(
        id=f"elsewhere-{index}",
        ref="",
        position=index,
        date=parse_expression(date),
        date_text=None,
        sequence=None,
        kind=kind,
        summary="",
        detail=None,
        source_agency="",
        source_type=None,
        source_reference=None,
        impact=None,
        action=None,
        significance=None,
        positive=False,
        restricted=True,
        restricted_reason=None,
        persons=(),
        relationship=None,
        tags=frozenset(),
        attributes=MappingProxyType({}),
        recorded_by=None,
        recorded_on=None,
        same_event_as=None,
    )
