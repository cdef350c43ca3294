"""Professional judgement on the record: flag reviews, a supervisor's case reviews, and the
sign-off that an entry the sharing check warned about is safe to share with the family."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from chronology_app.core import audit, validation
from chronology_app.core.changes import CaseReviewRecord, Change, OpChanges, copy_input, refuse
from chronology_app.core.errors import InvalidInput, NotFound
from chronology_app.core.model.tables import FlagReview
from chronology_app.core.service.base import ServiceBase
from chronology_app.core.store import repository as repo


class Reviewing(ServiceBase):
    """Flag reviews, case reviews and sharing sign-offs."""

    def record_flag_review(self, reference: str, review: Mapping[str, Any]) -> OpChanges:
        """Acknowledge or dismiss a flag. A later review of the same flag replaces it."""
        doc = copy_input(review)
        doc.setdefault("by", self.user)
        doc.setdefault("on", repo.now().date().isoformat())

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            live = repo.live_entry_ids(session, repo.pk(case))
            refuse(validation.check_flag_review(doc, "", live))
            key = repo.review_key(doc)
            before = repo.snapshot_review(session, repo.pk(case), key)
            position = (
                before["rows"][0]["position"]
                if before
                else repo.next_position(session, FlagReview, repo.pk(case))
            )
            state = {"rows": [{"doc": doc, "position": position}]}
            return [self._apply(session, case, "flag_review", key, state)]

        decision = "Dismiss flag" if doc.get("decision") == "dismissed" else "Acknowledge flag"
        return self._run(decision, reference, body, reason=doc.get("reason"))

    def record_case_review(self, reference: str, comments: str) -> OpChanges:
        """A supervisor marks the case reviewed, with comments (kept in the workspace and the
        audit trail; not part of case files)."""
        if not comments or not comments.strip():
            raise InvalidInput({"comments": "Say what the review found or decided."})

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            key = f"review-{secrets.token_hex(4)}"
            state = {"by": self.user, "at": repo.now().isoformat(), "comments": comments.strip()}
            return [self._apply(session, case, "case_review", key, state)]

        return self._run("Mark case reviewed", reference, body, reason=comments.strip())

    def case_reviews(self, reference: str) -> list[CaseReviewRecord]:
        with self.workspace.reading() as session:
            case = repo.case_row(session, reference)
            return [
                CaseReviewRecord(row.reviewed_by, row.reviewed_at, row.comments)
                for row in repo.case_reviews(session, repo.pk(case))
            ]

    SIGN_OFF = "Sign off for sharing"

    def sign_off_shared(self, reference: str, entry_id: str) -> OpChanges:
        """Record that a practitioner has read an entry the sharing check warned about and
        judged it safe to share with the family. The record carries the entry's fingerprint
        (its printed text), so a later edit of the entry clears the sign-off. On the audit
        trail; not undoable (it changes no record of the case)."""
        from chronology_app.core.reports.check import entry_fingerprint

        entry = self.case_data(reference).entry_by_id.get(entry_id)
        if entry is None:
            raise NotFound("That entry is not in this case.")
        fingerprint = entry_fingerprint(entry)

        def body(_session: Session) -> list[Change]:
            return [Change("sharing_sign_off", entry_id, None, {"fingerprint": fingerprint})]

        return self._run(
            self.SIGN_OFF, reference, body, reason="checked, safe to share", record=False
        )

    def shared_sign_offs(self, reference: str) -> dict[str, str]:
        """Entry id -> the fingerprint of its latest sign-off for sharing."""
        with self.workspace.reading() as session:
            return audit.sharing_sign_offs(session, reference, self.SIGN_OFF)
