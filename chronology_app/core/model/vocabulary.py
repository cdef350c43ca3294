"""The words of the case-file format (docs/case-file-format.md), in one place.

Everything that names an entry kind, a role, a source type or a tag comes from here, so the
validator, the rules, the reports and the GUI's pick lists cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

FORMAT_NAME: Final = "chronology-case"
FORMAT_VERSION: Final = 1
DEFAULT_PROTECTIVE_MARKING: Final = "OFFICIAL-SENSITIVE"

CASE_STATUSES: Final = ("open", "closed")
SEXES: Final = ("female", "male", "other", "unknown")
PERSON_ROLES: Final = ("child", "parent", "carer", "partner", "relative", "professional", "other")
IMMIGRATION_STATUSES: Final = (
    "not_checked",
    "british",
    "settled",
    "limited_leave",
    "nrpf",
    "no_leave",
    "other",
)
RELATIONSHIP_KINDS: Final = ("intimate_partner", "parent_child", "sibling", "relative", "other")
SOURCE_TYPES: Final = (
    "observation",
    "disclosure",
    "third_party",
    "document",
    "online_check",
    "police_record",
    "self_report",
)
ENTRY_ROLES: Final = (
    "subject",
    "victim",
    "alleged_perpetrator",
    "discloser",
    "witness",
    "reporter",
    "child_present",
    "professional",
    "about",
)
SIGNIFICANCES: Final = ("low", "medium", "high")
REVIEW_DECISIONS: Final = ("acknowledged", "dismissed")

ABUSE_TYPE_TAGS: Final = (
    "physical",
    "sexual",
    "emotional",
    "coercive_control",
    "economic",
    "stalking",
    "threats",
    "online",
)
HIGH_HARM_TAGS: Final = (
    "strangulation",
    "weapon",
    "threats_to_kill",
    "injury",
    "extreme_fear",
    "honour_based",
)
COERCIVE_CONTROL_TAGS: Final = (
    "isolation",
    "monitoring",
    "financial_control",
    "degradation",
    "deprivation",
    "threats_to_child",
    "sexual_coercion",
)
FAMILY_FACTOR_TAGS: Final = ("substance_misuse", "mental_health", "domestic_abuse")
KNOWN_TAGS: Final = ABUSE_TYPE_TAGS + HIGH_HARM_TAGS + COERCIVE_CONTROL_TAGS + FAMILY_FACTOR_TAGS

DASH_ANSWERS: Final = ("yes", "no", "unknown")


# --- entry kinds: the one description of each ---------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """A kind-specific attribute: its name in the file and the type of its value."""

    name: str
    # "text", "bool", "date" (a date expression), "int", "choice", or "answers" (a DASH
    # questionnaire: question number -> yes, no or unknown)
    type: str = "text"
    choices: tuple[str, ...] = ()
    # Shown as a field of the entry editor (DASH answers have their own form).
    in_editor: bool = True


@dataclass(frozen=True)
class EntryKind:
    """Everything the app knows about one kind of entry. The validator, the editor's fields,
    the rules' kind sets, the timeline's colours and every label are derived from these."""

    id: str
    label: str
    attributes: tuple[Attribute, ...] = ()
    typical_roles: tuple[str, ...] = ()
    # The groups it belongs to (see GROUPS below).
    groups: frozenset[str] = frozenset()

    @property
    def needs_relationship(self) -> bool:
        return "relationship" in self.groups


# What each group means; a rule or a view asks `kinds_in(group)`, never lists kinds itself.
GROUPS: Final[dict[str, str]] = {
    "da_event": "a domestic-abuse event (spec: incident, disclosure, police action)",
    "harm": "drawn as harm on the timeline: a DA event or an injury",
    "history": "makes its subject someone with a DA history (police action, court order)",
    "allegation": "can name an alleged perpetrator against a victim (serial-perpetrator)",
    "relationship": "a change in a relationship's state; names the relationship",
    "partnering": "a relationship starts or resumes",
    "contact": "evidence that two people are in contact (contradicted-denial)",
    "response": "a safeguarding response, drawn as such on the timeline",
    "da_response": "a response specific to domestic abuse (the family diagram's legend)",
    "safety_response": "plans for safety or assesses risk (intervention-only)",
    "check": "a check on an adult (unseen-adult)",
    "referral": "a referral to another service (answers consent-not-sought)",
}

_CONSENT = ("given", "refused", "not_asked")
_DVDS_STATUS = ("considered", "applied", "disclosed", "not_disclosed", "declined")
_POLICE_ACTIONS = ("callout", "arrest", "caution", "charge", "conviction", "nfa", "bail_conditions")
_ORDERS = ("non_molestation", "occupation", "dvpo", "restraining", "child_arrangements", "other")
_PAIR = ("subject",)


def _kind(
    id: str,
    label: str,
    attributes: tuple[Attribute, ...] = (),
    roles: tuple[str, ...] = (),
    groups: str = "",
) -> EntryKind:
    return EntryKind(id, label, attributes, roles, frozenset(groups.split()))


# In the order of the spec's table.
KINDS: Final[dict[str, EntryKind]] = {
    kind.id: kind
    for kind in (
        _kind(
            "incident",
            "Incident",
            (Attribute("police_attended", "bool"),),
            ("victim", "alleged_perpetrator", "child_present", "witness"),
            "da_event harm allegation contact",
        ),
        _kind(
            "disclosure",
            "Disclosure",
            (Attribute("consent_to_refer", "choice", _CONSENT), Attribute("follow_up")),
            ("discloser", "victim", "alleged_perpetrator"),
            "da_event harm allegation",
        ),
        _kind("denial", "Denial", (), ("subject", "about")),
        _kind("contact_evidence", "Evidence of contact", (), ("subject", "about"), "contact"),
        _kind("relationship_start", "Relationship starts", (), _PAIR, "relationship partnering"),
        _kind("separation", "Separation", (), _PAIR, "relationship"),
        _kind("reconciliation", "Reconciliation", (), _PAIR, "relationship partnering contact"),
        _kind("move", "Move", (Attribute("from_area"), Attribute("to_area"))),
        _kind(
            "agency_involvement",
            "Agency involvement",
            (
                Attribute("agency"),
                Attribute("status", "choice", ("started", "ended")),
                Attribute("notified_children_services", "bool"),
            ),
        ),
        _kind(
            "referral",
            "Referral",
            (Attribute("to"), Attribute("reason")),
            (),
            "response safety_response referral",
        ),
        _kind(
            "information_request",
            "Information request",
            (Attribute("from"), Attribute("to"), Attribute("about")),
            (),
            "response",
        ),
        _kind(
            "information_shared",
            "Information shared",
            (Attribute("from"), Attribute("to"), Attribute("about")),
            (),
            "response",
        ),
        _kind(
            "assessment",
            "Assessment",
            (Attribute("type"), Attribute("outcome")),
            (),
            "response check",
        ),
        _kind(
            "risk_assessment",
            "Risk assessment",
            (
                Attribute("tool"),
                Attribute("score", "int"),
                Attribute("level"),
                Attribute("assessor"),
                Attribute("answers", "answers", DASH_ANSWERS, in_editor=False),
            ),
            ("victim", "alleged_perpetrator"),
            "response da_response safety_response",
        ),
        _kind(
            "marac_referral",
            "MARAC referral",
            (),
            (),
            "response da_response safety_response referral",
        ),
        _kind(
            "marac_meeting", "MARAC meeting", (Attribute("outcome"),), (), "response da_response"
        ),
        _kind(
            "dvds",
            "DVDS (Clare's Law)",
            (
                Attribute("route", "choice", ("right_to_ask", "right_to_know")),
                Attribute("status", "choice", _DVDS_STATUS),
            ),
            ("victim", "subject"),
            "response da_response safety_response check",
        ),
        _kind(
            "police_action",
            "Police action",
            (Attribute("action", "choice", _POLICE_ACTIONS), Attribute("offence")),
            ("subject", "victim"),
            "da_event harm history allegation contact check",
        ),
        _kind(
            "court_order",
            "Court order",
            (Attribute("order", "choice", _ORDERS), Attribute("expires", "date")),
            ("subject", "victim"),
            "history allegation response",
        ),
        _kind(
            "intervention",
            "Intervention",
            (
                Attribute("programme"),
                Attribute("provider"),
                Attribute("status", "choice", ("offered", "started", "completed", "declined")),
            ),
        ),
        _kind("safety_plan", "Safety plan", (), (), "response da_response safety_response"),
        _kind(
            "child_seen",
            "Child seen",
            (Attribute("seen_alone", "bool"),),
            ("child_present", "subject"),
        ),
        _kind("injury", "Injury", (Attribute("explanation"),), (), "harm"),
        _kind("pregnancy", "Pregnancy", (Attribute("due", "date"),)),
        _kind("birth", "Birth", (), ("subject", "about")),
        _kind(
            "online_check",
            "Online check",
            (
                Attribute("platform"),
                Attribute("profile"),
                Attribute("purpose"),
                Attribute("authorisation"),
                Attribute("finding"),
            ),
            (),
            "check",
        ),
        _kind("immigration_check", "Immigration check", (Attribute("status_found"),), (), "check"),
        _kind(
            "conference",
            "Conference",
            (
                Attribute("type", "choice", ("strategy", "icpc", "rcpc", "cin", "other")),
                Attribute("outcome"),
            ),
            (),
            "response da_response",
        ),
        _kind("note", "Note"),
    )
}


def attribute(kind: str, name: str) -> Attribute | None:
    """The description of one of a kind's attributes (None: not one the format names)."""
    described = KINDS.get(kind)
    if described is None:
        return None
    return next((a for a in described.attributes if a.name == name), None)


def kinds_in(group: str) -> frozenset[str]:
    """The entry kinds in a group (GROUPS says what each means)."""
    if group not in GROUPS:
        raise KeyError(f"no group of entry kinds named {group!r}")
    return frozenset(kind.id for kind in KINDS.values() if group in kind.groups)


# Derived views of KINDS, for the validator, the editor and the pick lists.
ENTRY_KINDS: Final[dict[str, str]] = {kind.id: kind.label for kind in KINDS.values()}
RELATIONSHIP_ENTRY_KINDS: Final = kinds_in("relationship")
ATTRIBUTE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    kind.id: tuple(a.name for a in kind.attributes if a.in_editor)
    for kind in KINDS.values()
    if kind.attributes
}
ATTRIBUTE_CHOICES: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    (kind.id, a.name): a.choices
    for kind in KINDS.values()
    for a in kind.attributes
    if a.type == "choice"
}
ATTRIBUTE_BOOLEANS: Final = frozenset(
    (kind.id, a.name) for kind in KINDS.values() for a in kind.attributes if a.type == "bool"
)
ATTRIBUTE_DATES: Final = frozenset(
    (kind.id, a.name) for kind in KINDS.values() for a in kind.attributes if a.type == "date"
)
TYPICAL_ROLES: Final[dict[str, tuple[str, ...]]] = {
    kind.id: kind.typical_roles for kind in KINDS.values() if kind.typical_roles
}


# --- how a word of the format reads to a practitioner --------------------------------------

# Words whose reading is not the word with spaces: abbreviations are spelt out.
_READINGS: Final[dict[str, str]] = {
    "alleged_perpetrator": "alleged perpetrator",
    "child_present": "child present",
    "nfa": "no further action",
    "dvpo": "domestic violence protection order",
    "non_molestation": "non-molestation order",
    "occupation": "occupation order",
    "restraining": "restraining order",
    "child_arrangements": "child arrangements order",
    "nrpf": "no recourse to public funds",
    "no_leave": "no leave to remain",
    "limited_leave": "limited leave to remain",
    "not_checked": "not checked",
    "icpc": "initial child protection conference",
    "rcpc": "review child protection conference",
    "cin": "child in need meeting",
    "right_to_ask": "right to ask",
    "right_to_know": "right to know",
    "not_disclosed": "not disclosed",
    "not_asked": "not asked",
    "bail_conditions": "bail conditions",
    "callout": "call-out",
    "honour_based": "honour-based abuse",
    "threats_to_kill": "threats to kill",
    "coercive_control": "coercive control",
    "intimate_partner": "intimate partner",
    "parent_child": "parent and child",
    "third_party": "third party",
    "online_check": "online check",
    "police_record": "police record",
    "self_report": "self-report",
}


def reading(word: str) -> str:
    """How a word of the format (a role, tag, status or attribute value) reads in the app and
    in reports: 'alleged_perpetrator' -> 'alleged perpetrator', 'nfa' -> 'no further action'.
    Words the format does not know (other tags) read with their underscores as spaces."""
    return _READINGS.get(word, " ".join(word.split("_")))


def kind_label(kind: str) -> str:
    """An entry kind as the app names it ('MARAC referral'); an unknown kind reads plainly."""
    described = KINDS.get(kind)
    return described.label if described else label(kind)


def label(word: str) -> str:
    """`reading` with a capital first letter, for column headings and pick lists."""
    text = reading(word)
    return text[:1].upper() + text[1:]
