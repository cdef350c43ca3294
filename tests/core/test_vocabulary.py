"""The schemas' allowed values are the vocabulary's, word for word (they are written twice:
as Literal types for validation and as tuples for pick lists and rules)."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from chronology_app.core.model import schemas, vocabulary


def _values(literal: Any) -> tuple[str, ...]:
    return tuple(get_args(literal))


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        (schemas.CaseStatus, vocabulary.CASE_STATUSES),
        (schemas.Sex, vocabulary.SEXES),
        (schemas.PersonRole, vocabulary.PERSON_ROLES),
        (schemas.ImmigrationStatus, vocabulary.IMMIGRATION_STATUSES),
        (schemas.RelationshipKind, vocabulary.RELATIONSHIP_KINDS),
        (schemas.SourceType, vocabulary.SOURCE_TYPES),
        (schemas.EntryRole, vocabulary.ENTRY_ROLES),
        (schemas.EntryKind, tuple(vocabulary.ENTRY_KINDS)),
        (schemas.Significance, vocabulary.SIGNIFICANCES),
        (schemas.Decision, vocabulary.REVIEW_DECISIONS),
    ],
)
def test_schema_literals_match_the_vocabulary(literal: Any, words: tuple[str, ...]) -> None:
    assert _values(literal) == words


def test_every_kind_with_attributes_is_a_kind() -> None:
    assert set(vocabulary.ATTRIBUTE_FIELDS) <= set(vocabulary.ENTRY_KINDS)
    for kind, attribute in vocabulary.ATTRIBUTE_CHOICES:
        assert attribute in vocabulary.ATTRIBUTE_FIELDS[kind]
