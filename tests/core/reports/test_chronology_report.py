"""The chronology report: content per audience, masking, escaping, fonts and the PDF itself.

The PDFs are read back with pypdf (tests/core/reports/support.py explains the three ways
"absent from the PDF" is checked)."""

from __future__ import annotations

import builtins
import copy
import io
import re
import threading
from typing import Any

import pypdf
import pytest

from chronology_app.core.dates import parse_expression
from chronology_app.core.records import CaseData, case_data
from chronology_app.core.reports.audience import Masker, audience_view
from chronology_app.core.reports.chronology_report import age_at, write_report
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.make import SharingRefused, make_report
from chronology_app.core.reports.pdf import render_pdf
from tests.core.reports.support import (
    DAY,
    analysis_of,
    assert_absent,
    every_stream,
    page_texts,
    squash,
)

RESTRICTED_SUMMARY = "Dean cautioned for assault on a previous partner (2017 incident)."
RESTRICTED_REASON = "Police information about a third party"
SERIAL_TITLE = "Alleged perpetrator against more than one victim"


def report(document: dict[str, Any], audience: str) -> tuple[CaseData, bytes]:
    """The PDF as `make_report` makes it (family-facing: after the sharing check)."""
    data = case_data(document)
    made = make_report(analysis_of(data), audience, "pdf", prepared_by="A. Worker", report_date=DAY)
    return data, made.data


def masked(document: dict[str, Any], audience: str) -> tuple[CaseData, bytes]:
    """The PDF written and rendered without the sharing check, to test the masking alone (the
    second line of defence)."""
    data = case_data(document)
    model = DocumentModel()
    view = audience_view(analysis_of(data), audience)
    write_report(model, view, prepared_by="A. Worker", report_date=DAY)
    return data, render_pdf(model)


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
    with pytest.raises(SharingRefused) as refused:
        report(family, "conference")
    assert [f.line() for f in refused.value.findings] == [
        'case title: "Kelly Ward" (a restricted person\'s name)',
        'E0012 detail: "Kelly Ward" (a restricted person\'s name)',
        'E0012 detail: "KELLY" (a restricted person\'s name)',
    ]
    data, pdf = masked(family, "conference")  # the masking alone still hides them
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
        texts = page_texts(masked(family, audience)[1])
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


# --- nothing by inference -------------------------------------------------------------------


def test_family_facing_reports_carry_no_flags(family: dict[str, Any]) -> None:
    family["entries"] = [e for e in family["entries"] if e["id"] != "e12"]  # names Kelly
    _, internal = report(family, "internal")
    assert SERIAL_TITLE in squash(" ".join(page_texts(internal)))
    analysis = analysis_of(family)
    titles = {item.flag.title for item in analysis.flags}
    assert titles and audience_view(analysis, "conference").flags == ()
    for audience in ("conference", "court"):
        whole = squash(" ".join(page_texts(report(family, audience)[1])))
        assert "Flags" not in whole and "flag" not in whole.casefold()
        for title in titles:
            assert title not in whole, (audience, title)


def test_a_flag_review_is_printed_for_professionals_only(family: dict[str, Any]) -> None:
    flag = analysis_of(family).flags[0].flag
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
    _, internal = report(family, "internal")
    assert "Dismissed by R. Reviewer on 20 May 2021: Kelly Ward says otherwise." in squash(
        " ".join(page_texts(internal))
    )
    _, conference = masked(family, "conference")
    assert_absent(conference, "R. Reviewer", "says otherwise", "Dismissed")


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
    # "Ward, Kelly" is one mention of one person: replaced whole.
    assert masker.text("Ward, Kelly; kel; K. Bell-Ward") == f"{kelly}; {kelly}; {kelly}"
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
    pdf = report(document, "internal")[1]
    texts = page_texts(pdf)
    whole = squash(" ".join(texts))
    for number in range(300):
        assert whole.count(f"[row {number:03d}]") == 1, number
    assert all(f"word{n}" in whole for n in (0, 1250, 2499))  # a row longer than a page
    start = next(i for i, t in enumerate(texts) if "[row 000]" in t)
    for text in texts[start:]:
        assert "No. Date Source What happened Impact on the child Action taken" in squash(text)


def test_fast_and_paragraph_tables_print_the_same_words(family: dict[str, Any]) -> None:
    from benchmarks.naive_table import paragraph_table

    data = case_data(family)
    document = DocumentModel()
    view = audience_view(analysis_of(data), "internal")
    write_report(document, view, prepared_by="A", report_date=DAY)
    fast = squash(" ".join(page_texts(render_pdf(document))))
    plain = squash(" ".join(page_texts(render_pdf(document, table_flowable=paragraph_table))))
    words = re.compile(r"Page \d+ of \d+|\s")
    assert sorted(words.sub("", fast)) == sorted(words.sub("", plain))


def test_reports_are_built_in_memory_and_may_run_in_threads(
    family: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    family["entries"] = [e for e in family["entries"] if e["id"] != "e12"]  # names Kelly
    analysis = analysis_of(family)

    def made(audience: str) -> bytes:
        return make_report(analysis, audience, "pdf", prepared_by="A", report_date=DAY).data

    made("internal")  # fonts loaded
    real_open = builtins.open

    def no_writing(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert not set(mode) & set("wax+"), f"a report tried to write {file}"
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_writing)
    results: dict[str, bytes] = {}

    def build(audience: str) -> None:
        results[audience] = made(audience)

    threads = [threading.Thread(target=build, args=(a,)) for a in ("internal", "conference")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["internal"].startswith(b"%PDF") and results["conference"].startswith(b"%PDF")
    assert results["conference"] == made("conference")


def test_an_unknown_audience_is_refused(family: dict[str, Any]) -> None:
    from chronology_app.core.errors import ChronologyError

    with pytest.raises(ChronologyError, match="not a report audience"):
        report(family, "family")
