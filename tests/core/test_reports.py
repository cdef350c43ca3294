"""The chronology report: content per audience, masking, escaping, fonts and the PDF itself.

The PDFs are read back with pypdf. Text drawn in an embedded TrueType subset is stored as glyph
codes, not as readable bytes, so "absent from the PDF" is checked three ways: in the text
pypdf extracts from every page (through the fonts' Unicode maps), in every decompressed stream
and object of the file, and in the metadata.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import datetime
import io
import re
import threading
from typing import Any

import pypdf
import pytest
from pypdf.generic import IndirectObject, StreamObject

from chronology_app.core.dates import parse_expression
from chronology_app.core.records import CaseData, case_data
from chronology_app.core.reports.audience import Masker, audience_view
from chronology_app.core.reports.chronology_report import age_at, build_report, write_report
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.pdf import render_pdf
from chronology_app.core.rules.base import Flag
from chronology_app.core.rules.engine import analyse

DAY = datetime.date(2024, 6, 1)
RESTRICTED_SUMMARY = "Dean cautioned for assault on a previous partner (2017 incident)."
RESTRICTED_REASON = "Police information about a third party"
SERIAL_TITLE = "Alleged perpetrator against more than one victim"


def squash(text: str) -> str:
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def every_stream(pdf: bytes) -> list[bytes]:
    """Every object of the file, streams decompressed, reachable or not."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for number, generation in {(int(n), int(g)) for n, g in re.findall(rb"(\d+) (\d+) obj", pdf)}:
        value = reader.get_object(IndirectObject(number, generation, reader))
        if isinstance(value, StreamObject):
            found.append(value.get_data())
        found.append(repr(value).encode("utf-8", "replace"))
    return found


def encodings(secret: str) -> list[bytes]:
    forms = [secret.encode("utf-8"), secret.encode("utf-16-be")]
    with contextlib.suppress(UnicodeEncodeError):
        forms.append(secret.encode("latin-1"))
    return forms


def assert_absent(pdf: bytes, *secrets: str) -> None:
    text = squash(" ".join(page_texts(pdf)))
    streams = every_stream(pdf)
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    for secret in secrets:
        assert squash(secret) not in text, secret
        for form in encodings(secret):
            assert not any(form in stream for stream in streams), secret
            assert form not in pdf, secret
        assert not any(secret in str(value) for value in metadata.values()), secret


def report(document: dict[str, Any], audience: str, **options: Any) -> tuple[CaseData, bytes]:
    data = case_data(document)
    pdf = build_report(
        data, analyse(data), audience, prepared_by="A. Worker", report_date=DAY, **options
    )
    return data, pdf


@pytest.fixture
def family(family_b: dict[str, Any]) -> dict[str, Any]:
    """Family B with what the tests look for: a restricted person named in a shared entry's
    text, markup-like characters, names in three scripts, and recorded-by details."""
    doc = copy.deepcopy(family_b)
    entries = {entry["id"]: entry for entry in doc["entries"]}
    entries["e12"]["detail"] = "Kelly Ward's sister helped with the move. KELLY was not there."
    entries["e13"]["summary"] = "Chronology sent <b>not bold</b> & R&D <i>plain</i> to Bradford."
    entries["e16"]["summary"] = "Profile viewed again; Łukasz, Ayşe and Дмитрий tagged."
    entries["e03"]["recorded"] = {"by": "P. Recorder", "on": "2019-02-15"}
    doc["persons"].append(
        {
            "id": "p-uni",
            "name": "Łukasz Zieliński",
            "aliases": ["Дмитрий Соколенко"],
            "sex": "male",
            "roles": ["relative"],
        }
    )
    doc["persons"].append({"id": "p-ayse", "name": "Ayşe Durmaz", "roles": ["relative"]})
    return doc


# --- what each audience sees ----------------------------------------------------------------


def test_conference_leaves_out_restricted_entries_names_and_reasons(
    family: dict[str, Any],
) -> None:
    family["case"]["title"] = "Family B, Kelly Ward"  # a restricted name even in the metadata
    data, pdf = report(family, "conference")
    assert_absent(pdf, RESTRICTED_SUMMARY, RESTRICTED_REASON, "Kelly Ward", "Kelly", "KELLY")
    texts = page_texts(pdf)
    whole = squash(" ".join(texts))
    assert "Person A (withheld)" in whole
    assert "Person A (withheld)'s sister helped with the move." in whole
    # Nothing else that could identify them: no relationships, no couple in the timeline.
    assert "partner of Person A" not in whole and "& Person A" not in whole
    assert "Person A (withheld) withheld withheld withheld withheld" in whole
    assert "has been withheld from this report" in squash(texts[0])
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and "Person A (withheld)" in str(metadata.title)
    for entry in data.entries:
        assert whole.count(squash(entry.summary)) == (0 if entry.restricted else 1), entry.id


def test_the_absence_checks_find_a_name_where_it_is_printed(family: dict[str, Any]) -> None:
    family["case"]["title"] = "Family B & Kelly Ward"
    _, pdf = report(family, "internal")
    assert "Kelly Ward" in squash(" ".join(page_texts(pdf)))
    assert any(b"Kelly Ward" in stream for stream in every_stream(pdf))  # the metadata
    with pytest.raises(AssertionError):
        assert_absent(pdf, "Kelly Ward")


def test_internal_shows_everything_once_and_marks_restricted_material(
    family: dict[str, Any],
) -> None:
    data, pdf = report(family, "internal")
    whole = squash(" ".join(page_texts(pdf)))
    for entry in data.entries:
        assert whole.count(squash(entry.summary)) == 1, entry.id
    assert "Kelly Ward" in whole and RESTRICTED_REASON in whole
    assert "Identity restricted" in whole and "E0005 (restricted)" in whole
    assert SERIAL_TITLE in whole
    assert "P. Recorder" not in whole  # who recorded what is for the review audience


def test_review_adds_who_recorded_each_entry_and_when(family: dict[str, Any]) -> None:
    _, pdf = report(family, "review")
    whole = squash(" ".join(page_texts(pdf)))
    assert "Recorded" in whole and "P. Recorder 15 February 2019" in whole
    assert RESTRICTED_SUMMARY in whole


def test_every_page_has_the_marking_top_and_bottom_and_page_x_of_y(
    family: dict[str, Any],
) -> None:
    family["case"]["protective_marking"] = "OFFICIAL-SENSITIVE: PERSONAL"
    for audience in ("internal", "conference"):
        texts = page_texts(report(family, audience)[1])
        assert len(texts) > 3
        for number, text in enumerate(texts, 1):
            assert text.count("OFFICIAL-SENSITIVE: PERSONAL") >= 2, (audience, number)
            assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {len(texts)}"]


def test_user_text_prints_literally_and_in_any_script(family: dict[str, Any]) -> None:
    family["case"]["title"] = "Family <b>B</b> & Co"
    family["persons"][0]["name"] = "Sara <i>Bell</i> & Co"
    _, pdf = report(family, "internal")
    whole = squash(" ".join(page_texts(pdf)))
    assert "Chronology sent <b>not bold</b> & R&D <i>plain</i> to Bradford." in whole
    assert "Family <b>B</b> & Co (BD-2020-0193)" in whole  # a Paragraph: escaped
    assert whole.count("Sara <i>Bell</i> & Co") >= 3  # table, diagram, flag explanations
    for name in ("Łukasz Zieliński", "Ayşe Durmaz", "Дмитрий Соколенко"):
        assert name in whole
    assert "Profile viewed again; Łukasz, Ayşe and Дмитрий tagged." in whole


# --- flags in a conference report --------------------------------------------------------------


def test_conference_flags_rest_on_shared_entries_only(family: dict[str, Any]) -> None:
    data = case_data(family)
    flags = analyse(data)
    internal = audience_view(data, [(f, None) for f in flags], "internal")
    shown = audience_view(data, [(f, None) for f in flags], "conference")
    assert {f.flag.rule for f in internal.flags} >= {"serial-perpetrator", "returning-perpetrator"}
    rules = [f.flag.rule for f in shown.flags]
    # Two victims only with the restricted caution: the pattern is not shown to the family.
    assert "serial-perpetrator" not in rules
    # The returning partner's history stands on the shared entries: shown without e05.
    back = next(f.flag for f in shown.flags if f.flag.rule == "returning-perpetrator")
    assert "e05" not in back.entries and {"e03", "e18"} <= set(back.entries)
    assert "E0005" not in back.explanation
    for item in shown.flags:
        assert set(item.flag.entries) <= {e.id for e in data.entries if not e.restricted}
        assert "Kelly" not in item.flag.explanation


def test_conference_leaves_out_a_flag_on_restricted_entries_alone(
    family: dict[str, Any],
) -> None:
    data = case_data(family)
    only_restricted = Flag(
        "serial-perpetrator",
        "high",
        "t",
        "Kelly Ward x",
        "a",
        "b",
        ("e05",),
        ("p-dean",),
        DAY,
    )
    view = audience_view(data, [(only_restricted, None)], "conference")
    assert view.flags == ()


def test_a_restricted_response_does_not_raise_a_flag_for_the_family(
    family: dict[str, Any],
) -> None:
    family["entries"].append(
        {
            "id": "e20",
            "date": "2021-04-20",
            "kind": "dvds",
            "summary": "DVDS application by Sara's mother.",
            "source": {"agency": "Police", "type": "police_record"},
            "persons": [
                {"person": "p-sara", "role": "victim"},
                {"person": "p-dean", "role": "subject"},
            ],
            "attributes": {"route": "right_to_ask", "status": "applied"},
            "restricted": True,
            "restricted_reason": "Applicant asked not to be named.",
        }
    )
    data = case_data(family)
    flags = [(f, None) for f in analyse(data)]
    assert "dvds-not-considered" not in {f.rule for f, _ in flags}
    view = audience_view(data, flags, "conference")
    assert "dvds-not-considered" not in {f.flag.rule for f in view.flags}


def test_a_conference_review_shows_the_decision_not_its_reason(
    family: dict[str, Any],
) -> None:
    data = case_data(family)
    flag = analyse(data)[0]  # rests partly on the restricted e05: shown as the shared run finds it
    assert flag.rule == "returning-perpetrator" and "e05" in flag.entries
    family["flag_reviews"] = [
        {
            "rule": flag.rule,
            "evidence": list(flag.entries),
            "decision": "dismissed",
            "reason": "Kelly Ward says otherwise.",
            "by": "R. Reviewer",
            "on": "2021-05-20",
        }
    ]
    _, pdf = report(family, "conference")
    whole = squash(" ".join(page_texts(pdf)))
    assert "Dismissed (recorded 20 May 2021)." in whole
    assert "R. Reviewer" not in whole and "says otherwise" not in whole
    _, internal = report(family, "internal")
    assert "Dismissed by R. Reviewer on 20 May 2021: Kelly Ward says otherwise." in squash(
        " ".join(page_texts(internal))
    )


# --- masking and ages --------------------------------------------------------------------------


def test_masker_masks_names_aliases_and_distinct_parts_only(family: dict[str, Any]) -> None:
    family["persons"][4]["aliases"] = ["Kel", "K. Bell-Ward"]
    family["persons"].append(
        {"id": "p-aunt", "name": "Jo Bell", "roles": ["relative"], "restricted": True}
    )
    data = case_data(family)
    masker = Masker(data)
    kelly, jo = "Person A (withheld)", "Person B (withheld)"
    assert masker.text("kelly ward and KELLY  WARD") == f"{kelly} and {kelly}"
    assert masker.text("Ward, Kelly; kel; K. Bell-Ward") == f"{kelly}, {kelly}; {kelly}; {kelly}"
    assert masker.text("Jo Bell met Sara Bell on the ward.") == f"{jo} met Sara Bell on the ward."
    assert masker.text("Kellyanne and Bell") == "Kellyanne and Bell"
    assert masker.name("p-kelly", data) == kelly and masker.name("p-sara", data) == "Sara Bell"


@pytest.mark.parametrize(
    ("born", "age"),
    [
        ("1994-08-19", "29"),
        ("1994-06-01", "30"),
        ("2019-03", "5"),
        ("2019-06", "about 4"),  # 4 or 5: the middle of June 2019 gives 4
        ("about 1990", "about 33"),
        ("1990", "about 33"),
        ("before 2000", "at least 24"),
        ("after 2010", "under 14"),
        ("2025-01-01", "not yet born"),
        (None, "not known"),
    ],
)
def test_age_at_the_report_date(born: str | None, age: str) -> None:
    assert age_at(parse_expression(born) if born else None, DAY) == age


# --- the PDF machinery -------------------------------------------------------------------------


def test_a_long_chronology_repeats_its_header_and_keeps_every_entry() -> None:
    from benchmarks.generate import generate_case

    document = generate_case(300, seed=5)
    for number, entry in enumerate(document["entries"]):
        entry["summary"] = f"[row {number:03d}] {entry['summary']}"
    document["entries"][7]["detail"] = " ".join(f"word{n}" for n in range(2500))
    pdf = build_report(case_data(document), [], "internal", prepared_by="A", report_date=DAY)
    texts = page_texts(pdf)
    whole = squash(" ".join(texts))
    for number in range(300):
        assert whole.count(f"[row {number:03d}]") == 1, number
    assert all(f"word{n}" in whole for n in (0, 1250, 2499))  # a row longer than a page
    start = next(i for i, t in enumerate(texts) if "[row 000]" in t)
    for text in texts[start:]:
        assert "No. Date Source What happened Impact on the child Action taken" in squash(text)


def test_fast_and_paragraph_tables_print_the_same_words(family: dict[str, Any]) -> None:
    data = case_data(family)
    document = DocumentModel()
    write_report(document, data, analyse(data), "internal", prepared_by="A", report_date=DAY)
    fast = squash(" ".join(page_texts(render_pdf(document))))
    plain = squash(" ".join(page_texts(render_pdf(document, tables="paragraphs"))))
    words = re.compile(r"Page \d+ of \d+|\s")
    assert sorted(words.sub("", fast)) == sorted(words.sub("", plain))


def test_reports_are_built_in_memory_and_may_run_in_threads(
    family: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = case_data(family)
    flags = analyse(data)
    build_report(data, flags, "internal", prepared_by="A", report_date=DAY)  # fonts loaded
    real_open = builtins.open

    def no_writing(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert not set(mode) & set("wax+"), f"a report tried to write {file}"
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_writing)
    results: dict[str, bytes] = {}

    def build(audience: str) -> None:
        results[audience] = build_report(data, flags, audience, prepared_by="A", report_date=DAY)

    threads = [threading.Thread(target=build, args=(a,)) for a in ("internal", "conference")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["internal"].startswith(b"%PDF") and results["conference"].startswith(b"%PDF")
    assert results["conference"] == build_report(
        data, flags, "conference", prepared_by="A", report_date=DAY
    )


def test_an_unknown_audience_is_refused(family: dict[str, Any]) -> None:
    from chronology_app.core.errors import ChronologyError

    with pytest.raises(ChronologyError, match="not a report audience"):
        report(family, "family")
