"""Rule 18: the same social-media profile viewed repeatedly without authorisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, list_entries


def _text(value: object) -> str:
    return value.strip().casefold() if isinstance(value, str) else ""


def _authorised(value: object) -> bool:
    """Any recorded authorisation (a reference, a number) counts; null or blank does not."""
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


@dataclass(frozen=True)
class RipaContact:
    """Whom practitioners ask before online and social-media checks (an authority's setting,
    `ripa_contact`)."""

    name: str  # a name or a team
    how_to_reach: str = ""
    guidance: str = ""  # where the local guidance is (an intranet page, a document)

    def sentence(self) -> str:
        """'Ask the Information governance team: ig@council.example. Local guidance: ...'"""
        text = f"Ask {self.name}" + (f": {self.how_to_reach}." if self.how_to_reach else ".")
        return text + (f" Local guidance: {self.guidance}." if self.guidance else "")


class RepeatProfileViews(Rule):
    id = "repeat-profile-views"
    severity = "medium"
    title = "A social-media profile viewed repeatedly without authorisation"
    suggested_action = (
        "Repeated viewing may amount to directed surveillance: seek authorisation under RIPA "
        "before looking again."
    )
    basis = "Surveillance regulators' guidance on social networking sites."
    defaults = {"min_views": 3}

    def __init__(self, *, ripa_contact: RipaContact | None = None, **parameters: int) -> None:
        super().__init__(**parameters)
        self.ripa_contact = ripa_contact

    def action(self) -> str:
        """The suggested action, naming whom to ask when the authority has set a contact."""
        if self.ripa_contact is None:
            return self.suggested_action
        return f"{self.suggested_action} {self.ripa_contact.sentence()}"

    def find(self, facts: Facts) -> Iterator[Flag]:
        views: dict[tuple[str, str], list[EntryRecord]] = defaultdict(list)
        for check in facts.kind("online_check"):
            platform, profile = (_text(check.attributes.get(k)) for k in ("platform", "profile"))
            if platform and profile and not _authorised(check.attributes.get("authorisation")):
                views[(platform, profile)].append(check)
        for (_platform, _profile), checks in sorted(views.items()):
            if len(checks) < self.param("min_views"):
                continue
            first = checks[0].attributes
            subjects = list(dict.fromkeys(p for c in checks for p in c.persons_in("subject")))
            whose = f" (of {facts.names(subjects)})" if subjects else ""
            text = (
                f"The same {first.get('platform')} profile{whose} was viewed {len(checks)} times "
                f"with no authorisation recorded: {list_entries(checks)}."
            )
            yield self.flag(text, checks, subjects)
