"""Family-facing outputs give nothing away, in PDF and Word; the internal version holds it all.

The adversarial case (support.py) has eight restricted people whose names come in awkward
forms (accents that do not decompose, apostrophes, double-barrelled surnames, a handle as an
alias, a surname shared with someone not restricted), each a partner of Dean and named in
restricted entries, so flags, relationships and the internal report all name them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chronology_app.core.records import case_data
from chronology_app.core.reports.audience import audience_view
from chronology_app.core.reports.chronology_report import write_report
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.make import SharingRefused, make_report
from chronology_app.core.reports.pdf import render_pdf
from tests.core.reports.support import (
    DAY,
    DISTINCT_PARTS,
    FORMS,
    RESTRICTED,
    adversarial,
    analysis_of,
    assert_absent,
    docx_parts,
    docx_text,
    every_stream,
    normalised,
    pdf_text,
)

SECRETS = [
    *(name for name, _ in RESTRICTED.values()),
    *(alias for _, aliases in RESTRICTED.values() for alias in aliases if len(alias) > 3),
    "Third-party information about",
    "reports Dean assaulted them",
]


@pytest.fixture
def case(family_b: dict[str, Any]) -> dict[str, Any]:
    return adversarial(family_b)


def made(document: dict[str, Any], audience: str, fmt: str) -> bytes:
    analysis = analysis_of(document)
    return make_report(analysis, audience, fmt, prepared_by="A. Worker", report_date=DAY).data


def readable(data: bytes, fmt: str) -> str:
    """Everything a reader or a search could find in the file, in the matcher's normal form."""
    if fmt == "pdf":
        streams = b" ".join(every_stream(data)).decode("utf-8", "replace")
        return normalised(pdf_text(data) + " " + streams)
    return normalised(docx_text(data))


def assert_nothing_restricted(data: bytes, fmt: str) -> None:
    if fmt == "pdf":
        assert_absent(data, *SECRETS)
    else:
        whole = docx_text(data)
        for secret in SECRETS:
            assert secret not in whole, secret
    text = readable(data, fmt)
    for part in DISTINCT_PARTS:
        assert part not in text, part


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("audience", ["conference", "court"])
def test_family_facing_outputs_hold_no_form_of_a_restricted_name(
    case: dict[str, Any], audience: str, fmt: str
) -> None:
    data = made(case, audience, fmt)
    assert_nothing_restricted(data, fmt)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_internal_version_holds_all_of_it_so_the_search_can_find_it(
    case: dict[str, Any], fmt: str
) -> None:
    data = made(case, "internal", fmt)
    text = readable(data, fmt)
    for part in DISTINCT_PARTS:
        assert part in text, part
    whole = pdf_text(data) if fmt == "pdf" else docx_text(data)
    for name, _ in RESTRICTED.values():
        assert name in whole, name
    with pytest.raises(AssertionError):
        assert_nothing_restricted(data, fmt)


def with_forms_in_shared_text(case: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(case)
    shared = [e for e in doc["entries"] if not e.get("restricted")]
    for number, form in enumerate(FORMS):
        field = "impact" if number < len(shared) else "action"
        shared[number % len(shared)][field] = f"Worried about {form} today."
    return doc


@pytest.mark.parametrize("audience", ["conference", "court"])
def test_any_form_in_shared_text_stops_the_report_one_line_each(
    case: dict[str, Any], audience: str
) -> None:
    doc = with_forms_in_shared_text(case)
    with pytest.raises(SharingRefused) as refused:
        made(doc, audience, "pdf")
    lines = [finding.line() for finding in refused.value.findings]
    data = case_data(doc)
    shared = [e for e in data.entries if not e.restricted]
    for form in FORMS:
        entry = next(e for e in shared if form in (e.impact or "") + (e.action or ""))
        field = "impact" if form in (entry.impact or "") else "action"
        assert any(line.startswith(f'{entry.ref} {field}: "') for line in lines), form
    assert len(lines) == len(FORMS)
    assert 'impact: "Ms Blackwood" (a restricted person\'s name)' in " ".join(lines)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_masking_alone_hides_every_form_too(case: dict[str, Any], fmt: str) -> None:
    """Behind the check, every string of a family-facing document passes the masking."""
    from chronology_app.core.reports.docx import render_docx

    doc = with_forms_in_shared_text(case)
    model = DocumentModel()
    write_report(model, audience_view(analysis_of(doc), "conference"), prepared_by="A",
                 report_date=DAY)  # fmt: skip
    data = render_pdf(model) if fmt == "pdf" else render_docx(model)
    assert_nothing_restricted(data, fmt)
    assert "Worried about Person" in (pdf_text(data) if fmt == "pdf" else docx_text(data))


# --- nothing by inference ----------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["conference", "court"])
def test_no_flags_roles_relationships_or_other_recorders(
    case: dict[str, Any], audience: str
) -> None:
    analysis = analysis_of(case)
    assert analysis.flags  # the internal report has flags naming them
    text = pdf_text(made(case, audience, "pdf"))
    for item in analysis.flags:
        assert item.flag.title not in text
    for words in ("partner of Person", "& Person", "Same event as", "flag", "Flag"):
        assert words not in text, words
    for words in ("alleged perpetrator", "victim"):
        assert words not in text.casefold(), words
    if audience == "conference":
        assert "Person A (withheld) withheld withheld withheld withheld" in text


def test_same_event_groups_are_shown_to_professionals_only(case: dict[str, Any]) -> None:
    from dataclasses import replace

    from chronology_app.core.same_event import Groups

    analysis = analysis_of(case)
    shared = [e.id for e in analysis.case.entries if not e.restricted][:2]
    hidden = next(e.id for e in analysis.case.entries if e.restricted)
    group = (*shared, hidden)
    grouped = replace(analysis, groups=Groups({entry: group for entry in group}))
    internal = make_report(grouped, "internal", "pdf", prepared_by="A", report_date=DAY)
    assert "Same event as" in pdf_text(internal.data)
    for audience in ("conference", "court"):
        report = make_report(grouped, audience, "pdf", prepared_by="A", report_date=DAY)
        assert "Same event as" not in pdf_text(report.data)


# --- Word: every part of the file --------------------------------------------------------------


def test_word_files_have_real_tables_markings_and_page_fields(case: dict[str, Any]) -> None:
    case["case"]["protective_marking"] = "OFFICIAL-SENSITIVE: PERSONAL"
    parts = docx_parts(made(case, "conference", "docx"))
    document = parts["word/document.xml"]
    assert "<w:tbl>" in document and '<w:tblHeader w:val="true"/>' in document
    headers = [xml for name, xml in parts.items() if name.startswith("word/header")]
    footers = [xml for name, xml in parts.items() if name.startswith("word/footer")]
    assert headers and all("OFFICIAL-SENSITIVE: PERSONAL" in xml for xml in headers)
    assert footers and all("OFFICIAL-SENSITIVE: PERSONAL" in xml for xml in footers)
    footer = " ".join(footers)
    assert " PAGE " in footer and " NUMPAGES " in footer and 'w:fldCharType="begin"' in footer
    core = parts["docProps/core.xml"]
    assert "A. Worker" in core and "python-docx" not in core
    assert "Person" not in parts.get("docProps/app.xml", "")
    assert not [name for name in parts if "comments" in name]


def test_a_family_facing_timeline_picture_is_checked_and_masked(case: dict[str, Any]) -> None:
    from chronology_app.core.reports import diagrams
    from chronology_app.core.reports.make import timeline_png

    analysis = analysis_of(case)
    assert timeline_png(analysis, "conference", DAY)[:4] == b"\x89PNG"  # type: ignore[index]
    drawing = diagrams.timeline(audience_view(analysis, "conference"), DAY, 1100.0)
    assert drawing is not None
    strings = " ".join(
        [drawing.description]
        + [getattr(shape, "text", "") for shape in drawing.shapes]
        + [" ".join(getattr(shape, "lines", ())) for shape in drawing.shapes]
    )
    for part in DISTINCT_PARTS:
        assert part not in normalised(strings)
    internal = diagrams.timeline(audience_view(analysis, "internal"), DAY, 1100.0)
    assert internal is not None and "Dean Hart & Orlando Pettigrew-Blackwood" in " ".join(
        getattr(shape, "text", "") for shape in internal.shapes
    )
    with pytest.raises(SharingRefused):
        timeline_png(analysis_of(with_forms_in_shared_text(case)), "court", DAY)


@pytest.mark.parametrize("audience", ["conference", "court"])
def test_family_facing_numbers_leave_no_gap_where_a_withheld_entry_was(
    case: dict[str, Any], audience: str
) -> None:
    import re

    text = pdf_text(made(case, audience, "pdf"))
    assert re.search(r"\bE\d{4}\b", text) is None  # the full chronology's numbers: not here
    internal = pdf_text(made(case, "internal", "pdf"))
    assert "E0019" in internal
