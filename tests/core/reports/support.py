"""Reading reports back for tests: PDF text, every decompressed PDF object, every XML part of
a .docx, and an adversarial case whose restricted people have names in every awkward form.

Text drawn in an embedded TrueType subset is stored as glyph codes, not as readable bytes, so
"absent from the PDF" is checked in the text pypdf extracts from every page (through the fonts'
Unicode maps), in every decompressed stream and object of the file, and in the metadata.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import io
import re
import unicodedata
import zipfile
from typing import Any

import pypdf
from pypdf.generic import IndirectObject, StreamObject

from chronology_app.core.analysis import Analysis, analyse_case
from chronology_app.core.records import CaseData, case_data
from chronology_app.core.reports.names import normal_form
from chronology_app.core.settings import Settings

DAY = datetime.date(2024, 6, 1)


def analysis_of(data: CaseData | dict[str, Any]) -> Analysis:
    case = data if isinstance(data, CaseData) else case_data(data)
    return analyse_case(case, Settings(), as_of=None)


def squash(text: str) -> str:
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return squash(" ".join(page_texts(pdf)))


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


def docx_parts(data: bytes) -> dict[str, str]:
    """Every XML part of a .docx (document, headers, footers, comments, core and app
    properties...), as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


def docx_text(data: bytes) -> str:
    """The words of every XML part, tags removed (Word splits text into runs)."""
    parts = docx_parts(data)
    return squash(" ".join(re.sub(r"<[^>]+>", " ", xml) for xml in parts.values()))


def docx_runs_text(data: bytes) -> str:
    """The text of document, headers and footers with runs joined as Word shows them."""
    parts = docx_parts(data)
    texts = []
    for name, xml in parts.items():
        if name.startswith("word/") or name.startswith("docProps/"):
            paragraphs = re.split(r"</w:p>|</cp:\w+>|</dc:\w+>", xml)
            for paragraph in paragraphs:
                texts.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph)))
                texts.append(re.sub(r"<[^>]+>", " ", paragraph) if "w:t" not in paragraph else "")
    return squash(" ".join(texts))


def assert_absent(pdf: bytes, *secrets: str) -> None:
    text = pdf_text(pdf)
    streams = every_stream(pdf)
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    for secret in secrets:
        assert squash(secret) not in text, secret
        for form in encodings(secret):
            assert not any(form in stream for stream in streams), secret
            assert form not in pdf, secret
        assert not any(secret in str(value) for value in metadata.values()), secret


def normalised(text: str) -> str:
    return normal_form(text)[0]


# --- the adversarial case ----------------------------------------------------------------------

RESTRICTED = {
    "r-orlando": ("Orlando Pettigrew-Blackwood", []),
    "r-ingrid": ("Ingrid Søndergård", []),
    "r-zeb": ("Zebedee Quartermaine", ["zebedee_quartermaine77", "Zeb"]),
    "r-siobhan": ("Siobhan O'Rourke", []),
    "r-greta": ("Greta Vantongeren", []),
    "r-mary": ("Mary Smith", []),
    "r-barty": ("Bartholomew Thorne", []),
    "r-wlad": ("Władysław Strauß", ["Wladek"]),
}
# Each form of a restricted name a shared text might hold, and the words a check reports.
FORMS = [
    "Orlando PETTIGREW",
    "Ms Blackwood",
    "pettigrew",
    "Sondergard",
    unicodedata.normalize("NFD", "Søndergård"),
    unicodedata.normalize("NFC", "SØNDERGÅRD"),
    "zeb.quartermaine@example.org",
    "zebedee_quartermaine77",
    "@zquartermaine",
    "the Quartermaines",
    "Quartermaine's",
    "O’Rourke",
    "O'ROURKE",
    "Mr Thorne",
    "Aunt Vantongeren",
    "Strauss",
    "Wladyslaw",
    "Mary Smith",
    "Smith, Mary",
]
# Parts that must not appear in a family-facing output in any normal form ("smith" is shared
# with John Smith, who is not restricted; "mary" and "zeb" are short or shared words).
DISTINCT_PARTS = [
    "orlando",
    "pettigrew",
    "blackwood",
    "ingrid",
    "sondergard",
    "zebedee",
    "quartermaine",
    "siobhan",
    "rourke",
    "greta",
    "vantongeren",
    "bartholomew",
    "thorne",
    "wladyslaw",
    "strauss",
    "wladek",
]


def adversarial(family_b: dict[str, Any]) -> dict[str, Any]:
    """Family B with eight restricted people whose names come in awkward forms; each is a
    partner of Sara or Dean, named in restricted entries (so flags and the internal report
    name them), and the shared entries hold none of their names. An unrestricted John Smith
    shares Mary Smith's surname."""
    doc = copy.deepcopy(family_b)
    doc["persons"] = [p for p in doc["persons"] if p["id"] != "p-kelly"]
    doc["entries"] = [
        e for e in doc["entries"] if not any(x["person"] == "p-kelly" for x in e.get("persons", []))
    ]
    doc["relationships"] = [r for r in doc["relationships"] if "p-kelly" not in r["persons"]]
    doc.pop("flag_reviews", None)
    doc["persons"].append({"id": "p-john", "name": "John Smith", "roles": ["relative"]})
    for number, (pid, (name, aliases)) in enumerate(RESTRICTED.items()):
        doc["persons"].append(
            {
                "id": pid,
                "name": name,
                "aliases": aliases,
                "sex": "male" if number % 2 else "female",
                "roles": ["partner"],
                "restricted": True,
            }
        )
        doc["relationships"].append(
            {"id": f"rel-{pid}", "kind": "intimate_partner", "persons": ["p-dean", pid]}
        )
        doc["entries"].append(
            {
                "id": f"e-{pid}",
                "date": f"2018-0{1 + number % 9}-1{number}",
                "kind": "incident",
                "summary": f"{name} reports Dean assaulted them; {', '.join(FORMS[number::8])}.",
                "impact": f"{name} fears for the children.",
                "source": {"agency": "Police", "type": "police_record"},
                "persons": [
                    {"person": pid, "role": "victim"},
                    {"person": "p-dean", "role": "alleged_perpetrator"},
                ],
                "restricted": True,
                "restricted_reason": f"Third-party information about {name}",
            }
        )
    return doc
