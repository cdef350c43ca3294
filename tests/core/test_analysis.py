"""The one analysis pipeline: same-event groups counted once, as of when a case is analysed,
and the authority's settings kept in the workspace."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest

from chronology_app.cli import main
from chronology_app.core import clock
from chronology_app.core.analysis import ReviewedFlag, analyse_case, as_of_day
from chronology_app.core.records import case_data
from chronology_app.core.same_event import apply_groups, group_date
from chronology_app.core.service import Service
from chronology_app.core.settings import InvalidSettings, Settings
from tests.conftest import PASSPHRASE, minimal_case


def _incident(entry_id: str, date: str, agency: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": entry_id,
        "date": date,
        "kind": "incident",
        "summary": f"Incident reported by {agency}.",
        "source": {"agency": agency, "type": "third_party"},
        "persons": [
            {"person": "p1", "role": "victim"},
            {"person": "p3", "role": "alleged_perpetrator"},
        ],
        "tags": ["physical"],
        **extra,
    }


def _three_reports_of_two_incidents() -> dict[str, Any]:
    """Police and health both record the June incident; with the 2021-06-01 incident of the
    minimal case that is two incidents, three entries."""
    case = minimal_case()
    case["entries"] += [
        _incident("e3", "2021-08-10", "Police"),
        _incident("e4", "2021-08", "Health", same_event_as="e3"),
    ]
    return case


def _rules(flags: tuple[ReviewedFlag, ...]) -> list[str]:
    return [item.flag.rule for item in flags]


def test_an_incident_recorded_by_two_agencies_counts_once() -> None:
    data = case_data(_three_reports_of_two_incidents())
    analysis = analyse_case(data, Settings(), as_of=None)
    assert "potential-escalation" not in _rules(analysis.flags)
    assert set(analysis.groups.of("e4")) == {"e3", "e4"}
    # Without the link, the same three entries are three events.
    unlinked = _three_reports_of_two_incidents()
    del unlinked["entries"][-1]["same_event_as"]
    flags = analyse_case(case_data(unlinked), Settings(), as_of=None).flags
    assert "potential-escalation" in _rules(flags)


def test_a_flag_on_a_group_lists_every_member() -> None:
    document = _three_reports_of_two_incidents()
    document["entries"].append(_incident("e5", "2021-09-01", "School"))
    analysis = analyse_case(case_data(document), Settings(), as_of=None)
    (flag,) = [item.flag for item in analysis.flags if item.flag.rule == "potential-escalation"]
    assert set(flag.entries) == {"e2", "e3", "e4", "e5"}


def test_the_group_date_is_the_intersection_or_the_union_with_a_warning() -> None:
    document = minimal_case()
    document["entries"] += [
        _incident("e3", "2021-08", "Police"),
        _incident("e4", "2021-08-10/2021-09-30", "Health", same_event_as="e3"),
        _incident("e5", "2019-01-01", "School"),
        _incident("e6", "2020-05-05", "GP", same_event_as="e5"),
    ]
    data = case_data(document)
    seen, groups = apply_groups(data)
    merged = seen.entry_by_id["e3"]
    assert (merged.date.earliest, merged.date.latest) == (
        datetime.date(2021, 8, 10),
        datetime.date(2021, 8, 31),
    )
    assert "e4" not in seen.entry_by_id
    assert groups.disjoint == (("e5", "e6"),)
    date, overlap = group_date([data.entry_by_id["e5"], data.entry_by_id["e6"]])
    assert not overlap and date.earliest == datetime.date(2019, 1, 1)
    assert merged.source_agency == "Police, Health"


def test_a_restricted_member_is_dropped_before_a_family_facing_analysis() -> None:
    document = _three_reports_of_two_incidents()
    document["entries"][-1].update(restricted=True, restricted_reason="Health's own record")
    analysis = analyse_case(case_data(document), Settings(), as_of=None, family_facing=True)
    assert not analysis.groups
    for item in analysis.flags:
        assert "e4" not in item.flag.entries


def _returning_case(status: str) -> dict[str, Any]:
    """Cal has a DA history (the June incident); Ann and Cal reconcile on 1 March 2022."""
    case = minimal_case()
    case["case"]["status"] = status
    case["entries"] += [
        {
            "id": "e3",
            "date": "2021-07-01",
            "kind": "separation",
            "summary": "Ann and Cal separate.",
            "source": {"agency": "Police", "type": "police_record"},
            "relationship": "r1",
            "persons": [{"person": "p1", "role": "subject"}, {"person": "p3", "role": "subject"}],
        },
        {
            "id": "e4",
            "date": "2022-03-01",
            "kind": "reconciliation",
            "summary": "Ann says Cal is back.",
            "source": {"agency": "Health visiting", "type": "self_report"},
            "relationship": "r1",
            "persons": [{"person": "p1", "role": "subject"}, {"person": "p3", "role": "subject"}],
        },
    ]
    return case


@pytest.mark.parametrize(
    ("status", "today", "raised"),
    [
        ("open", datetime.date(2022, 3, 20), False),  # 19 days: still within the 28
        ("open", datetime.date(2022, 4, 15), True),  # 45 days, no DVDS: raised now
        ("closed", datetime.date(2022, 4, 15), False),  # as of its latest entry
    ],
)
def test_an_open_case_is_analysed_as_of_today(
    service: Service, status: str, today: datetime.date, raised: bool
) -> None:
    service.import_case(_returning_case(status))
    with clock.fixed(today):
        analysis = service.analysis("TS-2024-0001")
    assert ("dvds-not-considered" in _rules(analysis.flags)) is raised
    assert analysis.as_of == (today if status == "open" else None)


def test_a_case_file_on_its_own_is_analysed_as_of_its_latest_entry() -> None:
    data = case_data(_returning_case("open"))
    assert as_of_day(data.case, datetime.date(2030, 1, 1), in_workspace=False) is None
    assert as_of_day(data.case, datetime.date(2030, 1, 1), in_workspace=True) is not None


def test_the_authoritys_settings_live_in_the_workspace(
    service: Service, workspace: Any, tmp_path: Path
) -> None:
    service.import_case(_three_reports_of_two_incidents())
    rules = {"rules": {"potential-escalation": {"min_events": 2}}}
    result = service.set_authority_settings(rules)
    assert result.action == "Change authority settings"
    assert "potential-escalation" in _rules(service.analysis("TS-2024-0001").flags)
    # Another session of the same workspace (the app, another command) reads them too.
    assert Service(workspace, "Someone Else").settings.rules == rules["rules"]
    service.undo()
    assert service.settings.rules == {}
    assert Service(workspace, "Someone Else").settings.rules == {}


def test_bad_settings_are_refused_with_their_paths(service: Service) -> None:
    with pytest.raises(InvalidSettings, match=r"rules\.no-such-rule: no such rule"):
        service.set_authority_settings({"rules": {"no-such-rule": {}}})
    assert service.settings == Settings()


def test_settings_on_the_command_line_override_the_workspaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    ws = tmp_path / "ws.chronology"
    case = tmp_path / "case.json"
    case.write_text(json.dumps(_three_reports_of_two_incidents()), encoding="utf-8")
    loose = tmp_path / "loose.json"
    loose.write_text(json.dumps({"rules": {"potential-escalation": {"min_events": 2}}}))
    for argv in (["init", str(ws)], ["import", str(ws), str(case)]):
        assert main(argv, io.StringIO(), io.StringIO()) == 0

    def rules(*extra: str) -> set[str]:
        out = io.StringIO()
        assert main(["flags", str(ws), "TS-2024-0001", "--json", *extra], out, io.StringIO()) == 0
        return {flag["rule"] for flag in json.loads(out.getvalue())}

    assert "potential-escalation" not in rules()
    assert "potential-escalation" in rules("--settings", str(loose))
    assert main(["settings", str(ws), "--load", str(loose)], io.StringIO(), io.StringIO()) == 0
    assert "potential-escalation" in rules()
    shown = io.StringIO()
    assert main(["settings", str(ws)], shown, io.StringIO()) == 0
    assert json.loads(shown.getvalue())["rules"] == {"potential-escalation": {"min_events": 2}}
