"""Flags and cross-case matches: a case analysed through the one pipeline (core/analysis.py),
with the history that confirmed matches bring from other cases, and the matches themselves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from chronology_app.core import authority, clock, crosscase, records, validation
from chronology_app.core.analysis import Analysis, ReviewedFlag, analyse_case, as_of_day
from chronology_app.core.authority import AuthorityNote
from chronology_app.core.bulk import collector_paused
from chronology_app.core.changes import Change, OpChanges, copy_input, refuse
from chronology_app.core.crosscase import PersonRef
from chronology_app.core.errors import InvalidInput
from chronology_app.core.service.reading import Reading
from chronology_app.core.store import repository as repo


class Analysing(Reading):
    """Flags and cross-case matches."""

    def analysis(self, reference: str, case: records.CaseData | None = None) -> Analysis:
        """The case analysed with the authority's settings, as of today while it is open and as
        of its latest entry once closed. Confirmed matches bring in history from the other
        cases they point to. `case` is the case's records when the caller has just read them
        (they are not read twice)."""
        with self.workspace.reading() as session:
            decisions = repo.match_decisions(session)
        confirmed = [(a, b) for a, b, decision in decisions if decision == "confirmed"]
        wanted = {reference} | {
            ref.case_reference
            for pair in confirmed
            if reference in {p.case_reference for p in pair}
            for ref in pair
        }
        cases = {
            ref: case if case is not None and ref == reference else self.case_data(ref)
            for ref in sorted(wanted)
        }
        return self._analyse(reference, cases, confirmed)

    def flags(self, reference: str, case: records.CaseData | None = None) -> list[ReviewedFlag]:
        """The flags on one case, each with its review (see `analysis`)."""
        return list(self.analysis(reference, case).flags)

    def workspace_flags(self) -> dict[str, list[ReviewedFlag]]:
        """The flags on every case in the workspace, by case reference."""
        with self.workspace.reading() as session:
            decisions = repo.match_decisions(session)
        confirmed = [(a, b) for a, b, decision in decisions if decision == "confirmed"]
        cases = {summary.reference: self.case_data(summary.reference) for summary in self.cases()}
        return {ref: list(self._analyse(ref, cases, confirmed).flags) for ref in cases}

    def _analyse(
        self,
        reference: str,
        cases: Mapping[str, records.CaseData],
        confirmed: list[tuple[PersonRef, PersonRef]],
    ) -> Analysis:
        data = cases[reference]
        history = crosscase.external_history(reference, confirmed, cases)
        if getattr(self.workspace, "per_case_chains", False):  # a team server
            for person, found in authority.external_history(
                self.authority_notes(reference)
            ).items():
                history[person] = [*history.get(person, ()), *found]
        as_of = as_of_day(data.case, clock.today(), in_workspace=True)
        return analyse_case(data, self.settings, as_of=as_of, external_history=history)

    def match_suggestions(self) -> list[crosscase.MatchSuggestion]:
        """Persons in different cases who may be the same person, not yet decided on, each with
        why. Candidates come from the stored name keys (an indexed join, not every pair)."""
        with collector_paused(), self.workspace.reading() as session:
            people, pairs = repo.match_candidates(session)
            decided = [crosscase.pair_key(a, b) for a, b, _ in repo.match_decisions(session)]
        return crosscase.suggest_from_store(people, pairs, decided)

    def authority_notes(self, reference: str) -> list[AuthorityNote]:
        """On a team server: persons of this case that another case in the authority, one the
        user may not see, may record, with only the team to contact and the dates of their DA
        history there (core/authority.py). A file workspace has none (it holds every case)."""
        if not getattr(self.workspace, "per_case_chains", False):
            return []
        with self.workspace.reading() as session:
            return authority.notes(session, reference)

    def look_alikes(
        self, reference: str, person: Mapping[str, Any], case: records.CaseData | None = None
    ) -> list[tuple[records.PersonRecord, str]]:
        """Persons already in the case whom `person` (about to be added or saved) may
        duplicate, with why: a warning for the practitioner, never a refusal. `case` is the
        case's records when the caller holds them (they are not read again)."""
        doc = {"id": "", **copy_input(person)}
        refuse(validation.check_person({**doc, "id": doc["id"] or "new"}, ""))
        persons = (case or self.case_data(reference)).persons
        return crosscase.look_alikes(records.person_record(doc), persons)

    def decide_match(
        self, first: PersonRef, second: PersonRef, decision: str, reason: str | None = None
    ) -> OpChanges:
        """Confirm or reject that two person records in different cases are the same person."""
        if decision not in ("confirmed", "rejected"):
            raise InvalidInput({"decision": "must be one of: confirmed, rejected"})
        if first.case_reference == second.case_reference:
            raise InvalidInput({"second": "a match joins persons in two different cases"})
        key = crosscase.pair_key(first, second)
        state = {"decision": decision, "reason": reason, "by": self.user}

        def body(session: Session) -> list[Change]:
            return [self._apply(session, None, "person_match", key, state)]

        action = "Confirm same person" if decision == "confirmed" else "Reject same person"
        return self._run(action, first.case_reference, body, reason=reason)
