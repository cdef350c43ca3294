"""An authority's settings: rule parameters and how a case is dated for analysis.

Settings are a small JSON file (see resources/default-settings.json). A file that is not valid
is refused with every problem as `path: message`, like a case file; nothing falls back silently.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronology_app.core.errors import ChronologyError
from chronology_app.core.rules.engine import RULE_CLASSES

AS_OF_CHOICES = ("latest_entry", "today")
MAX_SETTINGS_BYTES = 1024 * 1024
# Whole-number settings: name -> (default, lowest, highest).
NUMBERS = {
    # An entry recorded longer ago than this is changed only with a reason (0: always).
    "edit_reason_after_hours": (24, 0, 24 * 365),
    # How many automatic backups (made on opening) are kept beside a workspace.
    "backups_kept": (10, 1, 1000),
}
KNOWN = ("rules", "as_of", *NUMBERS)


class InvalidSettings(ChronologyError):
    def __init__(self, problems: list[str], source: str) -> None:
        self.problems = problems
        super().__init__(f"{source}: the settings have problems:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Settings:
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    as_of: str = "latest_entry"  # analyse a case as of its latest entry, or as of today
    edit_reason_after_hours: int = NUMBERS["edit_reason_after_hours"][0]
    backups_kept: int = NUMBERS["backups_kept"][0]


def parse_settings(data: object, source: str = "settings") -> Settings:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidSettings(["settings must be a JSON object"], source)
    for key in data:
        if key not in (*KNOWN, "comment"):
            problems.append(f"{key}: not a setting (known: {', '.join(KNOWN)})")
    numbers: dict[str, int] = {}
    for name, (default, lowest, highest) in NUMBERS.items():
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            problems.append(f"{name}: must be a whole number from {lowest} to {highest}")
        else:
            numbers[name] = value
    as_of = data.get("as_of", "latest_entry")
    if as_of not in AS_OF_CHOICES:
        problems.append(f"as_of: must be one of: {', '.join(AS_OF_CHOICES)}")
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
    return Settings(rules=rules, as_of=str(as_of), **numbers)


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
