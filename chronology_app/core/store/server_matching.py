"""Matching on a team server, in the database: a supervisor's suggestions over every case they
see, and a practitioner's notes about cases they cannot see (the narrow function of
core/authority.py).

Suggestions: persons are filed under their stored name keys (`person_name_key`, written in
Python when a person is saved: core/name_matching.py). `chronology_match_candidates()` joins
them by key *and* by year of birth (a hash join on both, in one statement): two persons whose
dates of birth cannot be the same day are never a suggestion (crosscase.dates_of_birth), so
blocking by the year as well loses none and leaves a few candidates a person instead of
hundreds. Partial dates are compared at the coarser of the two (a year against a full date),
a missing or free-form one is compatible with any. Each candidate pair is then checked in
Python by the same matcher as a file workspace (crosscase.suggest_from_rows), so the server
suggests exactly what a file holding the same cases would. The function is SECURITY DEFINER
(fixed search_path): it works on the caller's visible cases (chronology_visible_cases, once)
and returns only pairs of person ids the caller may read anyway.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from chronology_app.core.store import server_policies as policy

DEFINER = policy.DEFINER
# The plan wanted for 50,000 persons: hash joins in memory, no JIT compilation (which costs
# more than the query).
TUNED = "SET jit = off SET work_mem = '64MB' SET enable_mergejoin = off"

FUNCTIONS = f"""
DROP FUNCTION IF EXISTS chronology_match_candidates();
CREATE FUNCTION chronology_match_candidates()
RETURNS TABLE (first_id integer, second_id integer)
LANGUAGE sql STABLE {DEFINER} {TUNED} AS $$
    WITH seen AS MATERIALIZED (SELECT chronology_visible_cases() AS id),
    person_dob AS MATERIALIZED (
        SELECT p.id, p.case_id, p.doc ->> 'date_of_birth' AS dob,
               (p.doc -> 'roles')::text AS roles
        FROM person p JOIN seen ON seen.id = p.case_id
    ),
    filed AS MATERIALIZED (
        SELECT k.key, d.id, d.case_id, d.dob,
               CASE WHEN d.dob ~ '^[0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?$'
                    THEN substr(d.dob, 1, 4) END AS born
        FROM person_dob d JOIN person_name_key k ON k.person_id = d.id
        -- professionals are never suggested
        WHERE d.roles IS NULL OR d.roles NOT LIKE '%"professional"%'
    )
    SELECT a.id, b.id FROM filed a JOIN filed b
        ON b.key = a.key AND b.born = a.born AND b.id > a.id AND b.case_id <> a.case_id
    WHERE left(a.dob, least(length(a.dob), length(b.dob)))
          = left(b.dob, least(length(a.dob), length(b.dob)))
    UNION
    SELECT least(a.id, b.id), greatest(a.id, b.id) FROM filed a JOIN filed b
        ON b.key = a.key AND b.id <> a.id AND b.case_id <> a.case_id
    WHERE a.born IS NULL
$$;

-- Cross-case matching over the whole authority. For each person of a case the caller can
-- see, persons in cases the caller can NOT see, filed under a shared name key (an indexed
-- equality join) or with a trigram-similar name (pg_trgm's index), whose dates of birth do
-- not rule them out: only what a cross-case rule needs, the dates of that person's DA history
-- (as alleged perpetrator, or subject of a police action or court order), the team to
-- contact, and whether a supervisor with access to both has confirmed the match; and, for the
-- serial-perpetrator rule, each history entry's date, kind and victims as tokens: a victim
-- confirmed as the same as a person of the caller's own case is that person's key there, any
-- other is 'hidden-N' (numbered within this answer), so victims are counted, never named.
-- Never the other case's reference, family, names or entries.
DROP FUNCTION IF EXISTS chronology_authority_matches(text);
CREATE FUNCTION chronology_authority_matches(the_reference text)
RETURNS TABLE (person_key text, team text, history_dates text[], confirmed boolean,
               history jsonb)
LANGUAGE plpgsql STABLE {DEFINER} AS $$
DECLARE
    the_case integer;
BEGIN
    SELECT c.id INTO the_case FROM case_record c WHERE c.reference = the_reference;
    IF the_case IS NULL OR NOT chronology_case_visible(the_case) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH mine AS (
        SELECT p.id, p.key, lower(p.name) AS name, p.doc ->> 'date_of_birth' AS dob
        FROM person p WHERE p.case_id = the_case
    ),
    candidates AS (
        SELECT m.id AS mine_id, m.key AS mine_key, m.dob, ko.person_id AS other_id
        FROM mine m
        JOIN person_name_key km ON km.person_id = m.id
        JOIN person_name_key ko ON ko.key = km.key AND ko.person_id <> m.id
        UNION
        SELECT m.id, m.key, m.dob, o.id
        -- `%` finds candidates by the trigram index; the closer limit is checked after
        FROM mine m JOIN person o ON lower(o.name) % m.name
        WHERE similarity(lower(o.name), m.name) >= 0.6
    ),
    found AS (
        SELECT DISTINCT cand.mine_id, cand.mine_key, o.id AS other_id, c.team AS other_team
        FROM candidates cand
        JOIN person o ON o.id = cand.other_id
        JOIN case_record c ON c.id = o.case_id
        WHERE o.case_id <> the_case
          AND NOT chronology_may_see(c.id, c.team)
          -- two full dates of birth that differ rule a match out; a missing one does not
          AND NOT coalesce(length(cand.dob) = 10 AND length(o.doc ->> 'date_of_birth') = 10
                           AND cand.dob <> o.doc ->> 'date_of_birth', false)
    ),
    history AS (
        SELECT DISTINCT f.other_id, e.id AS entry_id, e.date::text AS day, e.kind
        FROM found f
        JOIN entry_person ep ON ep.person_id = f.other_id
        JOIN entry e ON e.id = ep.entry_id
        WHERE e.withdrawn = false
          AND (ep.role = 'alleged_perpetrator'
               OR (e.kind IN ('police_action', 'court_order') AND ep.role = 'subject'))
    ),
    victim AS (
        SELECT DISTINCT h.other_id, h.entry_id, v.person_id
        FROM history h
        JOIN entry_person v ON v.entry_id = h.entry_id AND v.role = 'victim'
                            AND v.person_id <> h.other_id
    ),
    token AS (
        SELECT vi.other_id, vi.entry_id, coalesce(
            (SELECT here.key FROM person_match pm
             JOIN person here ON here.id IN (pm.person_a_id, pm.person_b_id)
                              AND here.id <> vi.person_id AND here.case_id = the_case
             WHERE pm.decision = 'confirmed'
               AND vi.person_id IN (pm.person_a_id, pm.person_b_id)
             ORDER BY here.key LIMIT 1),
            'hidden-' || dense_rank() OVER (ORDER BY vi.person_id)) AS name
        FROM victim vi
    )
    SELECT f.mine_key::text, f.other_team::text,
        ARRAY(SELECT DISTINCT h.day FROM history h WHERE h.other_id = f.other_id
              ORDER BY h.day),
        EXISTS (SELECT 1 FROM person_match pm WHERE pm.decision = 'confirmed'
                AND ((pm.person_a_id = f.mine_id AND pm.person_b_id = f.other_id)
                  OR (pm.person_b_id = f.mine_id AND pm.person_a_id = f.other_id))),
        coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'date', h.day, 'kind', h.kind,
                'victims', coalesce((SELECT jsonb_agg(DISTINCT t.name) FROM token t
                                     WHERE t.other_id = h.other_id AND t.entry_id = h.entry_id),
                                    '[]'::jsonb))
                ORDER BY h.day, h.entry_id)
            FROM history h WHERE h.other_id = f.other_id), '[]'::jsonb)
    FROM found f;
END
$$;
"""

PUBLIC_FUNCTIONS = ("chronology_match_candidates()", "chronology_authority_matches(text)")


def statements() -> list[str]:
    """What `server init` runs for matching, after the policies."""
    done = [FUNCTIONS]
    for function in PUBLIC_FUNCTIONS:
        done += [
            f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION {function} TO {policy.WORKERS}",
        ]
    return done


def candidate_person_pairs(
    session: Session,
) -> list[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    """The candidate pairs for suggestions, as repository.candidate_person_pairs gives them on a
    file: (case reference, person document) twice; one document object a person."""
    pairs = session.execute(text("SELECT * FROM chronology_match_candidates()")).all()
    wanted = sorted({person_id for pair in pairs for person_id in pair})
    people = {
        row[0]: (row[1], row[2])
        for row in session.execute(
            text(
                "SELECT p.id, c.reference, p.doc FROM person p "
                "JOIN case_record c ON c.id = p.case_id WHERE p.id = ANY(:wanted)"
            ),
            {"wanted": wanted},
        )
    }
    return [(*people[a], *people[b]) for a, b in pairs if a in people and b in people]
