"""An authority's settings: rule parameters, the nation whose bank holidays count, whom to ask
about online checks, and how long edits and backups are kept.

Settings are a small JSON file (see resources/default-settings.json). A file that is not valid
is refused with every problem as `path: message`, like a case file; nothing falls back silently.
When a case is analysed is no longer a setting: a case open in a workspace is analysed as of
today, a closed case or a case file as of its latest entry (spec: rules.md, As of when), so a
file that still sets `as_of` is refused with a message saying so.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronology_app.core.errors import ChronologyError
from chronology_app.core.rules.base import Rule
from chronology_app.core.rules.engine import RULE_CLASSES, build_rules
from chronology_app.core.rules.repeat_profile_views import RipaContact
from chronology_app.core.rules.working_days import (
    DEFAULT_NATION,
    NATIONS,
    WorkingCalendar,
    calendar_for,
)

__all__ = ["InvalidSettings", "RipaContact", "Settings", "load_settings", "parse_settings"]

MAX_SETTINGS_BYTES = 1024 * 1024
# Whole-number settings: name -> (default, lowest, highest).
NUMBERS = {
    # An entry recorded longer ago than this is changed only with a reason (0: always).
    "edit_reason_after_hours": (24, 0, 24 * 365),
    # How many automatic backups (made on opening) are kept beside a workspace.
    "backups_kept": (10, 1, 1000),
}
KNOWN = ("rules", "bank_holidays", "ripa_contact", *NUMBERS)
# The contact for RIPA and social-media checks: key -> what it holds.
RIPA_FIELDS = {
    "name": "a name or team",
    "how_to_reach": "how to reach them",
    "guidance": "where the local guidance is",
}
MAX_TEXT = 300
AS_OF_GONE = (
    "as_of: this setting has been removed. A case open in a workspace is now analysed as of "
    "today, and a closed case or a case file as of its latest entry; remove this line"
)


class InvalidSettings(ChronologyError):
    def __init__(self, problems: list[str], source: str) -> None:
        self.problems = problems
        super().__init__(f"{source}: the settings have problems:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Settings:
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    # The nation whose bank holidays working days leave out (england_wales, scotland,
    # northern_ireland).
    bank_holidays: str = DEFAULT_NATION
    ripa_contact: RipaContact | None = None
    edit_reason_after_hours: int = NUMBERS["edit_reason_after_hours"][0]
    backups_kept: int = NUMBERS["backups_kept"][0]

    def build_rules(self) -> list[Rule]:
        """The rules with this authority's parameters and RIPA contact."""
        return build_rules(self.rules, ripa_contact=self.ripa_contact)

    def working_calendar(self) -> WorkingCalendar:
        """Working days as the rules count them for this authority."""
        return calendar_for(self.bank_holidays)


def _ripa_contact(value: object, problems: list[str]) -> RipaContact | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append("ripa_contact: must be an object with name, how_to_reach and guidance")
        return None
    found: dict[str, str] = {}
    for key, text in value.items():
        where = f"ripa_contact.{key}"
        if key not in RIPA_FIELDS:
            problems.append(f"{where}: not part of the contact (it has: {', '.join(RIPA_FIELDS)})")
        elif not isinstance(text, str) or len(text) > MAX_TEXT:
            problems.append(f"{where}: must be text of at most {MAX_TEXT} characters")
        else:
            found[key] = " ".join(text.split())
    if not found.get("name"):
        problems.append(f"ripa_contact.name: give {RIPA_FIELDS['name']} to ask")
        return None
    return RipaContact(**found)


def parse_settings(data: object, source: str = "settings") -> Settings:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidSettings(["settings must be a JSON object"], source)
    for key in data:
        if key == "as_of":
            problems.append(AS_OF_GONE)
        elif key not in (*KNOWN, "comment"):
            problems.append(f"{key}: not a setting (known: {', '.join(KNOWN)})")
    numbers: dict[str, int] = {}
    for name, (default, lowest, highest) in NUMBERS.items():
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            problems.append(f"{name}: must be a whole number from {lowest} to {highest}")
        else:
            numbers[name] = value
    nation = data.get("bank_holidays", DEFAULT_NATION)
    if not isinstance(nation, str) or nation not in NATIONS:
        problems.append(f"bank_holidays: must be one of: {', '.join(NATIONS)}")
    ripa_contact = _ripa_contact(data.get("ripa_contact"), problems)
    rules: dict[str, dict[str, int]] = {}
    known = {cls.id: cls for cls in RULE_CLASSES}
    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, dict):
        problems.append("rules: must be an object of rule ids")
        raw_rules = {}
    for rule_id, parameters in raw_rules.items():
        if rule_id not in known:
            problems.append(f"rules.{rule_id}: no such rule")
            continue
        if not isinstance(parameters, dict):
            problems.append(f"rules.{rule_id}: must be an object of parameters")
            continue
        for name, value in parameters.items():
            where = f"rules.{rule_id}.{name}"
            if name not in known[rule_id].defaults:
                allowed = ", ".join(known[rule_id].defaults) or "none"
                problems.append(f"{where}: not a parameter of this rule (it has: {allowed})")
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 10_000:
                problems.append(f"{where}: must be a whole number from 1 to 10000")
        rules[rule_id] = dict(parameters)
    if problems:
        raise InvalidSettings(problems, source)
    return Settings(rules=rules, bank_holidays=str(nation), ripa_contact=ripa_contact, **numbers)


def load_settings(path: str | os.PathLike[str] | None) -> Settings:
    if path is None:
        return Settings()
    target = Path(path)
    try:
        with open(target, "rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)
    except OSError as err:
        raise ChronologyError(f"{target}: cannot read the settings ({err.strerror})") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise InvalidSettings(["the file is too large to be settings"], target.name)
    try:
        data: Any = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise InvalidSettings([f"not valid JSON ({err})"], target.name) from None
    return parse_settings(data, target.name)


def settings_document(settings: Settings) -> dict[str, Any]:
    """Settings as a settings file holds them (what `chronology settings WS` prints)."""
    return dataclasses.asdict(settings)
