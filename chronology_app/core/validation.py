"""Validation of case-file objects, one object at a time and as a whole document.

Each check returns `Problem`s (a JSON path and a message) rather than raising, so that a file
with ten mistakes reports all ten. The same per-object functions serve the importer (paths such
as `entries[3].persons[0].person`) and the service's single writes (paths such as
`persons[0].person`, which the GUI maps to the field next to which it shows the message).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model import schemas, vocabulary


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def join_path(prefix: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    return f"{prefix}.{part}" if prefix else part


def _message(error: Mapping[str, Any]) -> str:
    """Turn one pydantic error into words a practitioner (or an integrator) can act on."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return "must be one of: " + str(ctx.get("expected", "")).replace("'", "").replace(
            " or ", ", "
        )
    if kind in ("string_type", "string_sub_type"):
        return "must be text"
    if kind == "bool_type":
        return "must be true or false"
    if kind in ("int_type", "int_from_float"):
        return "must be a whole number"
    if kind == "list_type":
        return "must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be an object"
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in ("too_short", "too_long") and ctx.get("min_length", 2) == 2:
        return "must name exactly two persons"
    return str(error["msg"])


def check_shape(schema: type[BaseModel], value: object, path: str) -> list[Problem]:
    """Validate one object against its schema; every error becomes a Problem under `path`."""
    try:
        schema.model_validate(value)
    except ValidationError as err:
        problems = []
        for error in err.errors(include_url=False):
            where = path
            for part in error["loc"]:
                where = join_path(where, part)
            problems.append(Problem(where, _message(error)))
        return problems
    return []


def check_attributes(kind: str, attributes: Mapping[str, object], path: str) -> list[Problem]:
    """Kind-specific attributes: known ones are checked, unknown ones are kept as they are.
    A known attribute may be null, meaning "not recorded"."""
    problems: list[Problem] = []
    for key, value in attributes.items():
        where = join_path(path, key)
        if value is None:
            continue
        described = vocabulary.attribute(kind, key)
        if described is None:
            continue
        if described.type == "choice" and value not in described.choices:
            problems.append(Problem(where, f"must be one of: {', '.join(described.choices)}"))
        elif described.type == "bool" and not isinstance(value, bool):
            problems.append(Problem(where, "must be true or false"))
        elif described.type == "date":
            problems.extend(_check_date_value(value, where))
        elif described.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(Problem(where, "must be a whole number"))
        elif described.type == "answers":
            problems.extend(_check_dash_answers(value, where))
    return problems


def _check_date_value(value: object, where: str) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(where, "must be a date expression such as 2019-03-12 or 2019-03")]
    try:
        parse_expression(value)
    except InvalidDate as err:
        return [Problem(where, str(err))]
    return []


def _check_dash_answers(value: object, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(where, 'must be an object such as {"1": "yes", "2": "no"}')]
    return [
        Problem(join_path(where, str(question)), "must be one of: yes, no, unknown")
        for question, answer in value.items()
        if answer not in vocabulary.DASH_ANSWERS
    ]


def check_case(case: object, path: str = "case") -> list[Problem]:
    return check_shape(schemas.CaseIn, case, path)


def check_person(person: object, path: str) -> list[Problem]:
    problems = check_shape(schemas.PersonIn, person, path)
    if isinstance(person, dict) and person.get("date_of_death") is not None:
        problems.extend(_check_death(person, join_path(path, "date_of_death")))
    return problems


def _check_death(person: Mapping[str, object], where: str) -> list[Problem]:
    """A date of death is a date expression, and cannot end before the date of birth begins
    (uncertain dates may overlap: "2019" and "2019-06-01" are both kept)."""
    death = person["date_of_death"]
    problems = _check_date_value(death, where)
    birth = person.get("date_of_birth")
    if problems or not isinstance(birth, str):
        return problems
    try:
        born = parse_expression(birth)
    except InvalidDate:
        return []  # reported at date_of_birth
    assert isinstance(death, str)
    if parse_expression(death).latest < born.earliest:
        return [Problem(where, f'"{death}" is before the date of birth "{birth}"')]
    return []


def check_relationship(
    relationship: object, path: str, person_ids: Iterable[str] | None
) -> list[Problem]:
    problems = check_shape(schemas.RelationshipIn, relationship, path)
    if problems or person_ids is None or not isinstance(relationship, dict):
        return problems
    known = set(person_ids)
    pair = relationship["persons"]
    for index, person_id in enumerate(pair):
        if person_id not in known:
            problems.append(
                Problem(join_path(join_path(path, "persons"), index), _no_person(person_id))
            )
    if pair[0] == pair[1]:
        problems.append(Problem(join_path(path, "persons"), "must name two different persons"))
    return problems


# The longest text an entry's fields may hold, in characters: what happened is a short account;
# the detail may be a long extract, but a whole document pasted in slows every view of the case.
TEXT_CAPS = {"summary": 500, "detail": 20_000, "impact": 5_000, "action": 5_000}


def check_text_caps(entry: Mapping[str, object], path: str) -> list[Problem]:
    """Text fields longer than TEXT_CAPS allows (files and imports obey them too)."""
    problems = []
    for field, cap in TEXT_CAPS.items():
        value = entry.get(field)
        if isinstance(value, str) and len(value) > cap:
            problems.append(
                Problem(
                    join_path(path, field),
                    f"is {len(value):,} characters long; keep it to {cap:,} "
                    + ("(put the rest in the detail)" if field == "summary" else "(shorten it)"),
                )
            )
    return problems


def check_entry(
    entry: object,
    path: str,
    person_ids: Iterable[str] | None,
    relationship_ids: Iterable[str] | None,
) -> list[Problem]:
    """One entry: its shape, its kind's attributes, and what it refers to. Passing None for the
    ids skips the reference checks (used when the caller checks them itself)."""
    problems = check_shape(schemas.EntryIn, entry, path)
    if not isinstance(entry, dict):
        return problems
    same = entry.get("same_event_as")
    if same is not None and not _text(same):
        problems.append(
            Problem(join_path(path, "same_event_as"), "must be the id of another entry")
        )
    problems.extend(check_text_caps(entry, path))
    kind = entry.get("kind")
    attributes = entry.get("attributes")
    if isinstance(kind, str) and isinstance(attributes, dict):
        problems.extend(check_attributes(kind, attributes, join_path(path, "attributes")))
    if entry.get("restricted") is True and not _text(entry.get("restricted_reason")):
        problems.append(
            Problem(
                join_path(path, "restricted_reason"),
                "required when the entry is restricted: say why it is not to be shared",
            )
        )
    if (
        isinstance(kind, str)
        and kind in vocabulary.RELATIONSHIP_ENTRY_KINDS
        and not entry.get("relationship")
    ):
        label = vocabulary.ENTRY_KINDS[str(kind)].lower()
        problems.append(Problem(join_path(path, "relationship"), f"required for a {label} entry"))
    if person_ids is not None:
        # A set or mapping is asked as it is (an import checks thousands of entries with one).
        known = person_ids if isinstance(person_ids, AbstractSet | Mapping) else set(person_ids)
        persons = entry.get("persons")
        for index, link in enumerate(persons if isinstance(persons, list) else []):
            person_id = link.get("person") if isinstance(link, dict) else None
            if isinstance(person_id, str) and person_id.strip() and person_id not in known:
                where = join_path(join_path(join_path(path, "persons"), index), "person")
                problems.append(Problem(where, _no_person(person_id)))
    relationship = entry.get("relationship")
    if (
        relationship_ids is not None
        and isinstance(relationship, str)
        and relationship
        and relationship not in set(relationship_ids)
    ):
        problems.append(
            Problem(join_path(path, "relationship"), f'no relationship with id "{relationship}"')
        )
    return problems


def check_same_events(entries: Sequence[object], path: str = "entries") -> list[Problem]:
    """`same_event_as` across a list of entries: each names another entry of the list, never
    itself, and the links form no cycle (a group is a tree of links ending at one entry).
    A cycle is reported once, at the first entry on it."""
    ids = {
        entry["id"]: index
        for index, entry in enumerate(entries)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }
    links: dict[int, int] = {}  # entry index -> index of the entry it names
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        target = entry.get("same_event_as") if isinstance(entry, dict) else None
        if not _text(target):
            continue
        assert isinstance(target, str) and isinstance(entry, dict)
        where = join_path(join_path(path, index), "same_event_as")
        if target == entry.get("id"):
            problems.append(Problem(where, "an entry cannot be the same event as itself"))
        elif target not in ids:
            problems.append(Problem(where, f'no entry with id "{target}"'))
        else:
            links[index] = ids[target]
    reported: set[int] = set()
    for start in sorted(links):
        chain = [start]
        while chain[-1] in links and links[chain[-1]] not in chain:
            chain.append(links[chain[-1]])
        if chain[-1] not in links:
            continue  # the chain ends at an entry that names no other
        cycle = chain[chain.index(links[chain[-1]]) :]
        if reported.isdisjoint(cycle):
            reported.update(cycle)
            first = min(cycle)
            turn = cycle.index(first)
            order = [*cycle[turn:], *cycle[:turn], first]
            route = " → ".join(str(_id_at(entries, i)) for i in order)
            problems.append(
                Problem(
                    join_path(join_path(path, first), "same_event_as"),
                    f"same-event links go round in a circle ({route}): one entry of the "
                    "group must name no other",
                )
            )
    return sorted(problems, key=lambda p: _index_in(p.path, path))


def _id_at(entries: Sequence[object], index: int) -> object:
    entry = entries[index]
    return entry.get("id") if isinstance(entry, dict) else index


def _index_in(where: str, path: str) -> int:
    return int(where[len(path) + 1 :].split("]", 1)[0])


def check_flag_review(review: object, path: str, entry_ids: Iterable[str] | None) -> list[Problem]:
    problems = check_shape(schemas.FlagReviewIn, review, path)
    if problems or entry_ids is None or not isinstance(review, dict):
        return problems
    known = set(entry_ids)
    for index, entry_id in enumerate(review["evidence"]):
        if entry_id not in known:
            where = join_path(join_path(path, "evidence"), index)
            problems.append(Problem(where, f'no entry with id "{entry_id}"'))
    return problems


def check_unique_ids(items: Sequence[object], path: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            problems.append(
                Problem(
                    join_path(join_path(path, index), "id"),
                    f'"{item_id}" is already the id of {path}[{seen[item_id]}]',
                )
            )
        else:
            seen[item_id] = index
    return problems


def _no_person(person_id: str) -> str:
    return f'no person with id "{person_id}"'


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def ids_of(items: object) -> list[str]:
    if not isinstance(items, list):
        return []
    return [
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def check_same_event(
    entries: Sequence[object], path: str, others: Mapping[str, object] | None = None
) -> list[Problem]:
    """Each entry's `same_event_as` names another entry (one of `entries`, or one of `others`:
    entry id -> its own `same_event_as`, for entries already in the case), never itself, and
    following the links never comes back round (no cycles)."""
    links: dict[str, object] = dict(others or {})
    for item in entries:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            links[item["id"]] = item.get("same_event_as")
    problems = []
    for index, item in enumerate(entries):
        if not isinstance(item, dict) or item.get("same_event_as") is None:
            continue
        where = join_path(join_path(path, index), "same_event_as")
        target = item["same_event_as"]
        if not isinstance(target, str) or not target.strip():
            problems.append(Problem(where, "must be the id of another entry"))
        elif target == item.get("id"):
            problems.append(Problem(where, "must name another entry, not the entry itself"))
        elif target not in links:
            problems.append(Problem(where, f'no entry with id "{target}"'))
        else:
            chain = [str(item.get("id")), target]
            while isinstance(links.get(chain[-1]), str) and chain[-1] != chain[0]:
                if len(chain) > len(links) + 1:
                    break
                chain.append(str(links[chain[-1]]))
            if chain[-1] == chain[0]:
                loop = " → ".join(chain)
                problems.append(Problem(where, f"the same-event links go round in a loop ({loop})"))
    return problems
