"""Rule 15: a partner or alleged perpetrator with no date of birth, or never checked."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, join_words, list_entries

CHECK_WORDS = "police, DVDS, assessment, online or immigration"
CHECK_KINDS = kinds_in("check")


class UnseenAdult(Rule):
    id = "unseen-adult"
    severity = "medium"
    title = "An adult around the child is not identified or checked"
    suggested_action = "Identify the adult (full name, date of birth, aliases) and complete checks."
    basis = "National review findings on 'hidden' and 'unseen' men."

    def find(self, facts: Facts) -> Iterator[Flag]:
        accused = {p for e in facts.entries for p in e.persons_in("alleged_perpetrator")}
        checked = {
            p for e in facts.entries if e.kind in CHECK_KINDS for p in e.persons_in("subject")
        }
        for person in facts.case.persons:
            if person.is_child or not ("partner" in person.roles or person.id in accused):
                continue
            gaps = []
            if person.date_of_birth is None:
                gaps.append("no date of birth is recorded")
            if person.id not in checked:
                gaps.append(f"no entry shows a check on them ({CHECK_WORDS})")
            if not gaps:
                continue
            named = facts.naming.get(person.id, [])
            accusing = [e for e in named if person.id in e.persons_in("alleged_perpetrator")]
            evidence = accusing or named
            text = (
                f"{facts.name(person.id)} is {self._connection(facts, person.id, accusing)}, "
                f"but {join_words(gaps)}. {self._aliases(person.aliases)}"
            )
            if evidence:
                more = " and others" if len(evidence) > 5 else ""
                text += f" Entries naming them: {list_entries(evidence[:5])}{more}."
            yield self.flag(text, evidence, [person.id])

    @staticmethod
    def _connection(facts: Facts, person: str, accusing: list[EntryRecord]) -> str:
        """How the adult is connected to the family: 'a partner of Amy Test and named as
        alleged perpetrator by Amy Test'."""
        partners = facts.partners_of.get(person, [])
        ways = []
        if partners:
            ways.append(f"a partner of {facts.names(partners)}")
        elif "partner" in facts.case.person_by_id[person].roles:
            ways.append("recorded as a partner in the family")
        if accusing:
            by = [
                p
                for entry in accusing
                for p in (entry.persons_in("discloser", "reporter") or entry.persons_in("victim"))
                if p != person
            ]
            ways.append(
                f"named as alleged perpetrator by {facts.names(by)}"
                if by
                else "named as alleged perpetrator"
            )
        return join_words(ways)

    @staticmethod
    def _aliases(aliases: tuple[str, ...]) -> str:
        if not aliases:
            return "No aliases are recorded: ask for any other names they use."
        return f"Aliases to check: {join_words(list(aliases))}."
