"""Matching on a team server, in the database: a supervisor's suggestions over every case they
see, and a practitioner's notes about cases they cannot see (the narrow function of
core/authority.py).

Suggestions: persons are filed under their stored name keys (`person_name_key`, written in
Python when a person is saved: core/name_matching.py). `chronology_match_candidates()` joins
them by key *and* by year of birth (a hash join on both, in one statement): two persons whose
dates of birth cannot be the same day are never a suggestion (crosscase.dates_of_birth), so
blocking by the year as well loses none and leaves a few candidates a person instead of
hundreds. Partial dates are compared at the coarser of the two (a year against a full date),
a missing or free-form one is compatible with any. A two-word name's normalised key is left
out of the join: only names of the same two words hold it, and they share its sounds key.

The same statement returns each person in a candidate pair once, with only what the matcher
reads (name, aliases, date of birth: each document parsed once, in the database) and the ids
of the persons paired with them; the app checks each pair by the same matcher as a file
workspace (crosscase.suggest_from_store), so the server suggests exactly what a file holding
the same cases would. The function is SECURITY DEFINER (fixed search_path): it works on the
caller's visible cases (chronology_visible_cases, once) and returns only persons the caller
may read anyway.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from chronology_app.core.store import server_policies as policy
from chronology_app.core.store.rows import MatchPerson

DEFINER = policy.DEFINER
# The plan wanted for 50,000 persons: hash joins in memory, no JIT compilation (which costs
# more than the query).
TUNED = "SET jit = off SET work_mem = '64MB' SET enable_mergejoin = off"

FUNCTIONS = f"""
DROP FUNCTION IF EXISTS chronology_match_candidates();
CREATE FUNCTION chronology_match_candidates()
RETURNS TABLE (person_id integer, reference text, person_key text, name text, aliases text[],
               date_of_birth text, firsts integer[], seconds integer[])
LANGUAGE sql STABLE {DEFINER} {TUNED} AS $$
    WITH visible AS MATERIALIZED (SELECT chronology_visible_cases() AS id),
    filed AS MATERIALIZED (
        -- the name keys with what the join blocks on beside them (core/store/filing.py):
        -- one table, no document decoded; professionals are never suggested
        SELECT k.person_id AS id, k.case_id, k.key, k.birth_year AS born,
               k.birth_month AS month, k.birth_day AS day
        FROM person_name_key k
        WHERE k.case_id IN (SELECT v.id FROM visible v) AND NOT k.professional
          -- A two-word name's normalised key ("n:a b") is held only by names of those two
          -- words, which share its sounds key ("p:") too: that join finds the pair already.
          AND (k.key NOT LIKE 'n:% %' OR k.key LIKE 'n:% % %')
    ),
    pair AS MATERIALIZED (
        SELECT a.id AS first_id, b.id AS second_id FROM filed a JOIN filed b
            ON b.key = a.key AND b.born = a.born AND b.id > a.id AND b.case_id <> a.case_id
        -- a year against anything in it, a month against its days, a day against that day
        WHERE (a.month IS NULL OR b.month IS NULL OR a.month = b.month)
          AND (a.day IS NULL OR b.day IS NULL OR a.day = b.day)
        UNION
        SELECT least(a.id, b.id), greatest(a.id, b.id) FROM filed a JOIN filed b
            ON b.key = a.key AND b.id <> a.id AND b.case_id <> a.case_id
        WHERE a.born IS NULL
    )
    -- the pairs in one row, as two arrays of ids (100,000 rows cost more to send and read)
    SELECT NULL::integer, NULL, NULL, NULL, NULL, NULL,
           coalesce(array_agg(first_id), '{{}}'), coalesce(array_agg(second_id), '{{}}')
    FROM pair
    UNION ALL
    -- each person in a pair once, with what the matcher reads
    SELECT p.id, c.reference, p.key, p.name, alias.names, p.date_of_birth, NULL, NULL
    FROM person p
    JOIN case_record c ON c.id = p.case_id
    LEFT JOIN (SELECT a.person_id, array_agg(a.alias ORDER BY a.id) AS names
               FROM person_alias a GROUP BY a.person_id) alias ON alias.person_id = p.id
    WHERE p.case_id IN (SELECT v.id FROM visible v)
      AND (p.id IN (SELECT first_id FROM pair) OR p.id IN (SELECT second_id FROM pair))
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


def match_candidates(session: Session) -> tuple[dict[int, MatchPerson], list[tuple[int, int]]]:
    """The candidates for suggestions, as repository.match_candidates gives them on a file:
    pairs of stored person ids, and each of those persons once (rows.MatchPerson: what the
    matcher reads; professionals are left out already). One statement (the definer function
    reads the key table and the persons in a pair, with no row-level check a row), straight
    from the driver in binary (the ORM's row objects, or 100,000 rows of text, cost more than
    the query)."""
    cursor = session.connection().connection.cursor(binary=True)
    try:
        cursor.execute("SELECT * FROM chronology_match_candidates()")
        found = cursor.fetchall()
    finally:
        cursor.close()
    people: dict[int, MatchPerson] = {}
    pairs: list[tuple[int, int]] = []
    for stored, reference, key, name, aliases, born, firsts, seconds in found:
        if stored is None:
            pairs = list(zip(firsts, seconds, strict=True))
        else:
            people[stored] = (reference, key, (name, *aliases) if aliases else (name,), born)
    return people, pairs
