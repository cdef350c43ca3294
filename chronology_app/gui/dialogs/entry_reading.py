"""The entry editor's form read back as a case-file entry, or the problems that stop it
being saved (each keyed by the field's path, as the service keys its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chronology_app.core import clock
from chronology_app.core.dates import parse_practitioner_date
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model import vocabulary as words
from chronology_app.gui.dialogs.entry_parts import MESSAGES, cap_message

if TYPE_CHECKING:
    from chronology_app.gui.dialogs.entry_editor import EntryEditor

# Keys the editor sets itself; any other key of an edited entry (unknown ones too) is kept.
EDITED = frozenset(
    {
        "date",
        "date_text",
        "kind",
        "summary",
        "detail",
        "source",
        "impact",
        "action",
        "significance",
        "positive",
        "restricted",
        "restricted_reason",
        "persons",
        "relationship",
        "tags",
        "attributes",
    }
)


def read_entry(
    editor: EntryEditor, *, check_only: bool = False
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The entry as typed, or the problems that stop it being saved. With `check_only` (as
    the user types) long texts are measured, not copied."""
    problems: dict[str, str] = {}
    original = editor._original
    entry: dict[str, Any] = {k: v for k, v in original.items() if k not in EDITED}
    try:
        reading = parse_practitioner_date(editor.date.text())
    except InvalidDate as err:
        problems["date"] = str(err)
    else:
        entry["date"] = reading.expression
        if reading.wording and reading.wording != reading.expression:
            entry["date_text"] = reading.wording
    kind = editor.current_kind()
    entry["kind"] = kind
    for field, widget in (
        ("summary", editor.summary),
        ("detail", editor.detail),
        ("impact", editor.impact),
    ):
        over = widget.over_cap()
        if over:
            problems[field] = over
        elif not check_only:
            text = widget.toPlainText().strip()
            if text:
                entry[field] = text
    if not problems.get("summary") and not editor.summary.toPlainText().strip():
        problems["summary"] = MESSAGES["summary"]
    source = dict(original.get("source") or {})
    source["agency"] = editor.agency.text().strip()
    if not source["agency"]:
        problems["source.agency"] = MESSAGES["agency"]
    source_type = editor.source_type.currentData()
    if source_type:
        source["type"] = source_type
    else:
        source.pop("type", None)
    entry["source"] = source
    action = editor.action.text().strip()
    over = cap_message("action", len(action))
    if over:
        problems["action"] = over
    elif action:
        entry["action"] = action
    if editor.significance.currentData():
        entry["significance"] = editor.significance.currentData()
    if editor.positive.isChecked():
        entry["positive"] = True
    if editor.restricted.isChecked():
        entry["restricted"] = True
        reason = editor.restricted_reason.text().strip()
        if not reason:
            problems["restricted_reason"] = MESSAGES["restricted_reason"]
        entry["restricted_reason"] = reason
    persons = []
    for row in editor._person_rows:
        if not row.person.currentData():
            problems["persons"] = MESSAGES["person"]
            continue
        persons.append({"person": row.person.currentData(), "role": row.role.currentData()})
    if persons:
        entry["persons"] = persons
    if kind in words.RELATIONSHIP_ENTRY_KINDS:
        if not editor.relationship.currentData():
            problems["relationship"] = MESSAGES["relationship"]
        else:
            entry["relationship"] = editor.relationship.currentData()
    tags = [t.strip() for t in editor.tags.text().split(",") if t.strip()]
    if tags:
        entry["tags"] = tags
    # Attributes the form does not show (unknown ones) and values the user did not touch
    # (an explicit null included) are kept as they were; a value cleared is removed.
    stored = original.get("attributes") or {}
    before = dict(stored) if original.get("kind") == kind else {}
    attributes = dict(before)
    for key in editor.attributes.widgets:
        value = editor.attributes.value(key)
        if value is not None:
            attributes[key] = value
        elif before.get(key) is not None:
            del attributes[key]
    if attributes:
        entry["attributes"] = attributes
    if not original and editor._recorded_by:
        entry["recorded"] = {"by": editor._recorded_by, "on": clock.today().isoformat()}
    return (None if problems else entry), problems
