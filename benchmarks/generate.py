"""Deterministic generator of large case files: `python benchmarks/generate.py 5000 --seed 1 -o f`.

The same arguments always give the same document: everything comes from `random.Random(seed)`,
never from the global generator or today's date. The people and events are fictional.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# kind weight persons: V victim (the mother), P alleged perpetrator (a partner), C a child,
# A V or P, X a relative/professional/other, R both partners of a relationship; "?": optional.
KINDS = """
note 150 X?:about                        child_seen 100 C:subject X?:professional
incident 60 V:victim P:alleged_perpetrator C?:child_present
disclosure 45 V:discloser V:victim P?:alleged_perpetrator
referral 40 C:subject X?:reporter         information_shared 28
police_action 28 P:subject V:victim       agency_involvement 24 V:subject
assessment 20 C:subject                   conference 20 C:subject
information_request 14                    intervention 14 A:subject
safety_plan 12 V:victim                   risk_assessment 10 V:victim P:alleged_perpetrator
contact_evidence 10 V:subject P:about     online_check 10 A:subject
denial 8 V:subject P:about                move 8 V:subject C:subject
court_order 8 P:subject V:victim          injury 8 C:victim
separation 5 R                            relationship_start 4 R
reconciliation 4 R                        pregnancy 3 V:subject
birth 3 C:subject V:about P:about         marac_referral 3 V:victim
marac_meeting 3 V:victim                  dvds 3 V:victim P:subject
immigration_check 2 A:subject
"""
# kind: key=choice|choice; key=...  (@name: a value computed per entry, @skip: leave the key out)
ATTRIBUTES = """
incident: police_attended=@bool
disclosure: consent_to_refer=given|refused|not_asked; follow_up=@skip|Ask again when seen alone.
move: from_area=@from; to_area=@to
agency_involvement: agency=@agency; status=started|ended; notified_children_services=@bool
referral: to=@agency; reason=Concerns about domestic abuse.|Child not brought to appointments.
information_request: from=@to; to=@from; about=previous involvement
information_shared: from=@from; to=@to; about=chronology and assessment
assessment: type=Child and family assessment; outcome=Child in need plan|No further action
marac_meeting: outcome=Actions agreed, IDVA to continue support.
dvds: route=right_to_ask|right_to_know; status=considered|applied|disclosed|not_disclosed|declined
police_action: action=callout|arrest|caution|charge|conviction|nfa|bail_conditions
police_action: offence=common assault|criminal damage|harassment|breach of order
court_order: order=non_molestation|occupation|dvpo|restraining|child_arrangements|other
court_order: expires=@expires|@skip
intervention: programme=Group programme|Parenting programme; provider=DA service
intervention: status=offered|started|completed|declined
child_seen: seen_alone=@bool
injury: explanation=Fell in the park.|Not explained.|Pushed against a door.
pregnancy: due=@due
online_check: platform=Facebook|Instagram; profile=kerry.a.90|dad_of_2; purpose=assessment
online_check: authorisation=@null|@null|RIPA-2021-014; finding=@null|Photograph of the couple.
immigration_check: status_found=british|settled|nrpf|limited_leave
conference: type=strategy|icpc|rcpc|cin|other; outcome=Plan agreed.|Plan continues.
"""
# name: choice|choice|...  (a name may continue on later lines; "\\n" stands for a new line)
VOCAB = """
female: Kerry|Zoë|Ayşe|Siobhán|Priya|Agnieszka|Renée|Chloe|Amira
male: Wayne|Łukasz|Дмитрий|José|Chidi|Liam|Tomasz|Darren|Emre
surname: Ashworth|Nowak|Öztürk|O'Neill|Kowalczyk|Okafor|Brennan|Şahin|Müller|Nguyễn
area: Leeds|Bradford|Derby|Nottingham|Sheffield|Rotherham|Leicester|Coventry|Wakefield
agency: Police|Health visiting|GP|School|Housing|IDVA service|Midwifery|Early Help|NRPF team
agency: Children's social care|Probation
source: observation|disclosure|third_party|document|online_check|police_record|self_report
da_tags: physical|sexual|emotional|coercive_control|economic|stalking|threats|online
da_tags: strangulation|weapon|threats_to_kill|injury|extreme_fear|honour_based|isolation
da_tags: monitoring|financial_control|degradation|deprivation|threats_to_child|sexual_coercion
family_tags: substance_misuse|mental_health|domestic_abuse
snippet: She said: "I'm fine, honestly".|Copied from the <b>old</b> system & not re-checked.
snippet: Interpreter used (Polish – język polski).|Дмитрий (Dima) was not present.
snippet: Police log line 1: officers arrived 23:40.\\nLine 2: left at 00:15.
snippet: Café staff called 999 — Zoë's account differs from the mother's.
snippet: Legacy export: <script>alert(1)</script> & "quotes" & 'apostrophes'.
impact: The child was exposed to conflict at home.|The child was not present.
action: No action|Shared with the social worker & school.|Referred to the IDVA service.
significance: low|medium|high
restricted: Third-party police information; not for disclosure without police agreement.
restricted: Referrer asked not to be identified to the family.
restricted: Disclosed in confidence; sharing could increase the risk to the victim.
"""


def _parse(text: str, sep: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        name, _, rest = line.partition(": ")
        table.setdefault(name, []).extend(rest.replace("\\n", "\n").split(sep))
    return table


VOCAB_LISTS = _parse(VOCAB, "|")
ATTRS = {
    kind: dict(p.split("=") for p in pairs) for kind, pairs in _parse(ATTRIBUTES, "; ").items()
}


def _kind_table() -> tuple[dict[str, int], dict[str, list[str]]]:
    words = KINDS.split()
    weights = {w: int(n) for w, n in itertools.pairwise(words) if n.isdigit()}
    people: dict[str, list[str]] = {}
    kind = ""
    for word in words:
        if word in weights:
            kind, people[word] = word, []
        elif not word.isdigit():
            people[kind].append(word)
    return weights, people


WEIGHTS, PEOPLE = _kind_table()


class _Generator:
    def __init__(self, n_entries: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = n_entries
        self.persons: list[dict[str, Any]] = []
        self.rels: list[dict[str, Any]] = []

    def pick(self, name: str) -> str:
        return self.rng.choice(VOCAB_LISTS[name])

    def person(self, role: str, sex: str, born: int, **extra: Any) -> dict[str, Any]:
        rng = self.rng
        first = self.pick("male" if sex == "male" else "female")
        name = f"{first} {self.pick('surname')}"
        p: dict[str, Any] = {"id": f"p{len(self.persons) + 1:04d}", "name": name}
        if rng.random() < 0.25:
            p["aliases"] = [name.upper(), first]
        if role != "professional" and rng.random() < 0.85:
            dob = date(born, 1, 1) + timedelta(days=rng.randrange(365))
            p["date_of_birth"] = dob.isoformat() if rng.random() < 0.8 else f"about {born}"
        p["sex"], p["roles"] = sex, [role]
        if role in ("parent", "partner"):
            statuses = ["british"] * 5 + ["settled", "limited_leave", "nrpf", "not_checked"]
            p["immigration_status"] = rng.choice(statuses)
        p.update(extra)
        self.persons.append(p)
        return p

    def rel(self, kind: str, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        r = {"id": f"r{len(self.rels) + 1:03d}", "kind": kind, "persons": [a["id"], b["id"]]}
        self.rels.append(r)
        return r

    def build_people(self) -> None:
        rng = self.rng
        mother = self.person("parent", "female", rng.randint(1980, 1995))
        father = self.person("parent", "male", rng.randint(1976, 1993))
        father["roles"].append("partner")
        note = "Relative who reported concerns; identity not to be shared with the family."
        self.person("relative", "female", 1962, restricted=True, notes=note)
        self.person("professional", "unknown", 1980)
        self.person("partner", "male", rng.randint(1975, 1995))
        pool = ["child"] * 3 + ["partner"] * 2 + ["relative", "professional", "other"]
        for role in ["child", "child", *rng.choices(pool, k=max(0, self.n // 40 - 7))]:
            sex = "male" if role == "partner" else rng.choice(["female", "male"])
            born = rng.randint(2008, 2024) if role == "child" else rng.randint(1965, 1998)
            self.person(role, sex, born)
        children = [p for p in self.persons if p["roles"] == ["child"]]
        partners = [father] + [p for p in self.persons if p["roles"] == ["partner"]]
        self.children = [p["id"] for p in children]
        self.others = [
            p["id"] for p in self.persons if p["roles"][0] in ("relative", "professional", "other")
        ]
        self.intimate = [self.rel("intimate_partner", mother, p) for p in partners[:5]]
        for child in children[:8]:
            self.rel("parent_child", mother, child)
        for child in children[:3]:
            self.rel("parent_child", father, child)
        self.rel("sibling", children[0], children[1])

    def date_expression(self, day: date) -> tuple[str, str | None]:
        r, rng = self.rng.random(), self.rng
        if r < 0.78:
            return day.isoformat(), (f"{day:%d/%m/%Y}" if r < 0.1 else None)
        if r < 0.86:
            return f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}", None
        if r < 0.91:
            return f"{day:%Y-%m}", f"{day:%B %Y}"
        if r < 0.94:
            return str(day.year), None
        if r < 0.96:
            return f"about {day:%Y-%m}", f"approx. {day:%B %Y}"
        if r < 0.98:
            end = day + timedelta(days=6)
            return f"{day.isoformat()}/{end.isoformat()}", f"w/c {day.day}/{day.month}/{day:%y}"
        if r < 0.99:
            return f"before {day.isoformat()}", f"before {day:%d/%m/%Y}"
        return f"after {day:%Y-%m}", f"after {day:%B %Y}"

    def details(self, kind: str, day: date) -> tuple[list[dict[str, str]], dict[str, Any], str]:
        """The persons (with roles) and the attributes of one entry of `kind`."""
        rng = self.rng
        rel = rng.choice(self.intimate)
        victim, perp = rel["persons"]
        ids = {"V": victim, "P": perp, "C": rng.choice(self.children)}
        ids["A"], ids["X"] = rng.choice([victim, perp]), rng.choice(self.others)
        persons: list[dict[str, str]] = []
        for spec in PEOPLE[kind]:
            letter, _, role = spec.partition(":")
            if spec == "R":
                persons += [{"person": pid, "role": "subject"} for pid in rel["persons"]]
            elif not letter.endswith("?") or rng.random() < 0.7:
                persons.append({"person": ids[letter[0]], "role": role})
        area_from, area_to = rng.sample(VOCAB_LISTS["area"], 2)
        computed = {"@bool": rng.random() < 0.6, "@from": area_from, "@to": area_to}
        computed["@due"] = f"{day + timedelta(days=200):%Y-%m}"
        computed["@expires"] = (day + timedelta(days=365)).isoformat()
        computed["@agency"], computed["@null"] = self.pick("agency"), None
        attrs: dict[str, Any] = {}
        for key, choices in ATTRS.get(kind, {}).items():
            value = rng.choice(choices.split("|"))
            if value != "@skip":
                attrs[key] = computed.get(value, value)
        if kind == "risk_assessment":
            answers = {str(q): rng.choice(["yes", "yes", "no", "unknown"]) for q in range(1, 25)}
            score = sum(a == "yes" for a in answers.values())
            level = "high" if score >= 14 else "medium" if score >= 10 else "standard"
            attrs = {"tool": "DASH", "answers": answers, "score": score, "level": level}
            attrs["assessor"] = rng.choice(["IDVA", "Police officer", "Social worker"])
        return persons, attrs, rel["id"]

    def entry(self, i: int, kind: str, day: date) -> dict[str, Any]:
        rng = self.rng
        expression, wording = self.date_expression(day)
        e: dict[str, Any] = {"id": f"e{i + 1:05d}", "date": expression}
        if wording:
            e["date_text"] = wording
        persons, attrs, rel_id = self.details(kind, day)
        names = " and ".join(self.names[p["person"]] for p in persons[:2]) or "the family"
        summary = f"{kind.replace('_', ' ').capitalize()}: {names}."
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 4])):
            summary += rng.choice([" ", " ", "\n"]) + self.pick("snippet")
        agency = self.pick("agency")
        e.update(kind=kind, summary=summary, source={"agency": agency, "type": self.pick("source")})
        if rng.random() < 0.3:
            e["source"]["reference"] = f"{agency[:3].upper()}/{rng.randrange(10**5):05d}"
        if persons:
            e["persons"] = persons
        if kind in ("relationship_start", "separation", "reconciliation"):
            e["relationship"] = rel_id
        if kind in ("incident", "disclosure"):
            e["tags"] = sorted(set(rng.sample(VOCAB_LISTS["da_tags"], rng.randint(1, 4))))
        elif kind in ("note", "child_seen", "referral", "assessment") and rng.random() < 0.2:
            e["tags"] = [self.pick("family_tags")]
        if rng.random() < 0.03:  # keys the spec does not know: must survive a round trip
            unknown = [f"LG-{rng.randrange(10**6)}", {"row": i + 2, "sheet": "Chronology"}, [1, 2]]
            attrs[rng.choice(["legacy_ref", "x_import"])] = rng.choice(unknown)
        if attrs:
            e["attributes"] = attrs
        for key, chance in (("impact", 0.25), ("action", 0.35), ("significance", 0.3)):
            if rng.random() < chance:
                e[key] = self.pick(key)
        if rng.random() < 0.08:
            e["positive"] = True
        if rng.random() < 0.04:
            e["restricted"], e["restricted_reason"] = True, self.pick("restricted")
        if rng.random() < 0.2:
            on = day + timedelta(days=rng.randrange(30))
            e["recorded"] = {"by": rng.choice(["A. Worker", "C. Şahin"]), "on": on.isoformat()}
        return e

    def entries(self) -> list[dict[str, Any]]:
        rng, n = self.rng, self.n
        self.names = {p["id"]: p["name"] for p in self.persons}
        kinds = list(WEIGHTS) if n >= len(WEIGHTS) else []  # every kind at least once
        kinds += rng.choices(list(WEIGHTS), list(WEIGHTS.values()), k=n - len(kinds))
        rng.shuffle(kinds)
        days = sorted(date(2010, 1, 1) + timedelta(days=rng.randrange(15 * 365)) for _ in kinds)
        for i in range(1, n):
            if rng.random() < 0.08:  # same-day entries, ordered by `sequence`
                days[i] = days[i - 1]
        out: list[dict[str, Any]] = []
        for i, (kind, day) in enumerate(zip(kinds, days, strict=True)):
            e = self.entry(i, kind, day)
            prev = out[-1] if out else None
            exact = prev and {len(prev["date"]), len(e["date"])} <= {10, 16}
            if prev and exact and prev["date"][:10] == e["date"][:10]:
                e["sequence"] = prev.setdefault("sequence", 1) + 1
            out.append(e)
        return out


def generate_case(n_entries: int, seed: int = 0, reference: str | None = None) -> dict[str, Any]:
    """Return a valid case-file document with `n_entries` entries, determined by `seed`."""
    gen = _Generator(n_entries, seed)
    gen.build_people()
    entries = gen.entries()
    case = {
        "reference": reference or f"GEN-{seed:04d}-{n_entries}",
        "title": f"Generated family {seed}",
        "local_authority": gen.pick("area"),
        "worker": "A. Worker",
        "team": "Benchmark Team",
        "status": "open",
        "protective_marking": "OFFICIAL-SENSITIVE",
        "notes": "Generated by benchmarks/generate.py; entirely fictional.",
    }
    return {
        "format": "chronology-case",
        "version": 1,
        "case": case,
        "persons": gen.persons,
        "relationships": gen.rels,
        "entries": entries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a large fictional case file.")
    parser.add_argument("n_entries", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    doc = generate_case(args.n_entries, args.seed, args.reference)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
