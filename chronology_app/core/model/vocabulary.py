"""The words of the case-file format (docs/case-file-format.md), in one place.

Everything that names an entry kind, a role, a source type or a tag comes from here, so the
validator, the rules, the reports and the GUI's pick lists cannot drift apart.
"""

from __future__ import annotations

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

# Entry kinds in the order of the spec's table, with the label a practitioner reads.
ENTRY_KINDS: Final[dict[str, str]] = {
    "incident": "Incident",
    "disclosure": "Disclosure",
    "denial": "Denial",
    "contact_evidence": "Evidence of contact",
    "relationship_start": "Relationship starts",
    "separation": "Separation",
    "reconciliation": "Reconciliation",
    "move": "Move",
    "agency_involvement": "Agency involvement",
    "referral": "Referral",
    "information_request": "Information request",
    "information_shared": "Information shared",
    "assessment": "Assessment",
    "risk_assessment": "Risk assessment",
    "marac_referral": "MARAC referral",
    "marac_meeting": "MARAC meeting",
    "dvds": "DVDS (Clare's Law)",
    "police_action": "Police action",
    "court_order": "Court order",
    "intervention": "Intervention",
    "safety_plan": "Safety plan",
    "child_seen": "Child seen",
    "injury": "Injury",
    "pregnancy": "Pregnancy",
    "birth": "Birth",
    "online_check": "Online check",
    "immigration_check": "Immigration check",
    "conference": "Conference",
    "note": "Note",
}

RELATIONSHIP_ENTRY_KINDS: Final = frozenset({"relationship_start", "separation", "reconciliation"})

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

# Kind-specific attributes with a closed set of values: (kind, attribute) -> allowed values.
ATTRIBUTE_CHOICES: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("disclosure", "consent_to_refer"): ("given", "refused", "not_asked"),
    ("agency_involvement", "status"): ("started", "ended"),
    ("dvds", "route"): ("right_to_ask", "right_to_know"),
    ("dvds", "status"): ("considered", "applied", "disclosed", "not_disclosed", "declined"),
    ("police_action", "action"): (
        "callout",
        "arrest",
        "caution",
        "charge",
        "conviction",
        "nfa",
        "bail_conditions",
    ),
    ("court_order", "order"): (
        "non_molestation",
        "occupation",
        "dvpo",
        "restraining",
        "child_arrangements",
        "other",
    ),
    ("intervention", "status"): ("offered", "started", "completed", "declined"),
    ("conference", "type"): ("strategy", "icpc", "rcpc", "cin", "other"),
}
# Kind-specific attributes that are true/false.
ATTRIBUTE_BOOLEANS: Final = frozenset(
    {
        ("incident", "police_attended"),
        ("agency_involvement", "notified_children_services"),
        ("child_seen", "seen_alone"),
    }
)
# Kind-specific attributes that hold a date expression.
ATTRIBUTE_DATES: Final = frozenset({("pregnancy", "due"), ("court_order", "expires")})
DASH_ANSWERS: Final = ("yes", "no", "unknown")

# The attributes the spec lists for each kind, in its order (the entry editor's fields).
ATTRIBUTE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "incident": ("police_attended",),
    "disclosure": ("consent_to_refer", "follow_up"),
    "move": ("from_area", "to_area"),
    "agency_involvement": ("agency", "status", "notified_children_services"),
    "referral": ("to", "reason"),
    "information_request": ("from", "to", "about"),
    "information_shared": ("from", "to", "about"),
    "assessment": ("type", "outcome"),
    "risk_assessment": ("tool", "score", "level", "assessor"),
    "marac_meeting": ("outcome",),
    "dvds": ("route", "status"),
    "police_action": ("action", "offence"),
    "court_order": ("order", "expires"),
    "intervention": ("programme", "provider", "status"),
    "child_seen": ("seen_alone",),
    "injury": ("explanation",),
    "pregnancy": ("due",),
    "online_check": ("platform", "profile", "purpose", "authorisation", "finding"),
    "immigration_check": ("status_found",),
    "conference": ("type", "outcome"),
}
# Roles offered first for each kind in the editor (the spec's "typical roles").
TYPICAL_ROLES: Final[dict[str, tuple[str, ...]]] = {
    "incident": ("victim", "alleged_perpetrator", "child_present", "witness"),
    "disclosure": ("discloser", "victim", "alleged_perpetrator"),
    "denial": ("subject", "about"),
    "contact_evidence": ("subject", "about"),
    "relationship_start": ("subject",),
    "separation": ("subject",),
    "reconciliation": ("subject",),
    "risk_assessment": ("victim", "alleged_perpetrator"),
    "dvds": ("victim", "subject"),
    "police_action": ("subject", "victim"),
    "court_order": ("subject", "victim"),
    "child_seen": ("child_present", "subject"),
    "birth": ("subject", "about"),
}
