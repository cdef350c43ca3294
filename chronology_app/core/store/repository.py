"""Reading and writing case-file objects in the workspace's tables.

Every object is written from a *snapshot* (its case-file document plus where it sits: its place
in the file, its entry number, whether it is withdrawn) and read back as one. The service
records snapshots as the before and after of each change, and undo restores a snapshot through
the same `restore_*` functions, so there is one way in and one way out of the tables.

This module is the one name the rest of the core uses (`from chronology_app.core.store import
repository as repo`); the queries live in `rows.py` (finding rows, counts, ids), `snapshots.py`
(each object's snapshot and restore) and `documents.py` (whole case files and imported batches).
"""

from __future__ import annotations

from chronology_app.core.store.documents import (
    batch_key,
    export_document,
    insert_document,
    insert_entries,
    restore_entry_batch,
    snapshot_entry_batch,
)
from chronology_app.core.store.rows import (
    SPEC_TOP_LEVEL,
    Snapshot,
    aliases_by_person,
    all_person_docs,
    case_row,
    case_rows,
    entry_created_at,
    entry_key_by_number,
    entry_keys,
    entry_numbers,
    find_case,
    live_entry_counts,
    live_entry_ids,
    match_candidates,
    next_position,
    now,
    person_counts,
    person_ids,
    pk,
    relationship_ids,
    review_key,
    same_event_links,
)
from chronology_app.core.store.snapshots import (
    case_reviews,
    match_decisions,
    restore_case,
    restore_case_file,
    restore_case_review,
    restore_entry,
    restore_match,
    restore_person,
    restore_relationship,
    restore_review,
    snapshot_case,
    snapshot_case_file,
    snapshot_case_review,
    snapshot_entry,
    snapshot_match,
    snapshot_person,
    snapshot_relationship,
    snapshot_review,
    withdrawn_entries,
)

__all__ = [
    "SPEC_TOP_LEVEL",
    "Snapshot",
    "aliases_by_person",
    "all_person_docs",
    "batch_key",
    "case_reviews",
    "case_row",
    "case_rows",
    "entry_created_at",
    "entry_key_by_number",
    "entry_keys",
    "entry_numbers",
    "export_document",
    "find_case",
    "insert_document",
    "insert_entries",
    "live_entry_counts",
    "live_entry_ids",
    "match_candidates",
    "match_decisions",
    "next_position",
    "now",
    "person_counts",
    "person_ids",
    "pk",
    "relationship_ids",
    "restore_case",
    "restore_case_file",
    "restore_case_review",
    "restore_entry",
    "restore_entry_batch",
    "restore_match",
    "restore_person",
    "restore_relationship",
    "restore_review",
    "review_key",
    "same_event_links",
    "snapshot_case",
    "snapshot_case_file",
    "snapshot_case_review",
    "snapshot_entry",
    "snapshot_entry_batch",
    "snapshot_match",
    "snapshot_person",
    "snapshot_relationship",
    "snapshot_review",
    "withdrawn_entries",
]
