"""Who sees what on a team server, enforced by PostgreSQL's row-level security.

Every table has row-level security enabled and FORCED (so the tables' owner is bound too). The
tables belong to `chronology_owner`, a group nobody signs in as; the groups people belong to
(`chronology_practitioner`, `chronology_supervisor`, `chronology_admin`) own nothing and never
bypass row-level security. A case belongs to one team (`case_record.team`, set to the creator's
team when the case is made, moved by `chronology_allocate`); practitioners and supervisors see
the cases of the teams they belong to, and an access-limited case only its named people.

The checks are small SECURITY DEFINER functions with a fixed search_path, owned by
`chronology_owner` (whose policies let it read the membership tables); each one answers a yes or
no about one row, or, for cross-case matching, only the dates of a person's DA history and the
team to contact.
"""

from __future__ import annotations

OWNER = "chronology_owner"
PRACTITIONER = "chronology_practitioner"
SUPERVISOR = "chronology_supervisor"
ADMIN = "chronology_admin"
GROUPS = (PRACTITIONER, SUPERVISOR, ADMIN)
WORKERS = f"{PRACTITIONER}, {SUPERVISOR}"
# Whether the caller sees a case, as plain SQL on the case's own row (no function call): the
# case is in one of their teams and not access-limited, or limited and naming them. Both
# subqueries read only the caller's own rows (a few), so the planner probes the case by its
# key for a save and joins by hash for a listing; nothing is worked out per row or over every
# visible case per statement. `limited` is kept by chronology_limit (a definer function).
SEES_CASE = (
    "((NOT limited AND team IN (SELECT m.team FROM chronology_team_member m "
    "WHERE m.role_name = session_user)) "
    "OR (limited AND id IN (SELECT l.case_id FROM chronology_access_limit l "
    "WHERE l.role_name = session_user)))"
)
# A row of a case the caller may see: its case's row is visible to them (case_record's own
# policy decides, through the case's primary key).
VISIBLE = "EXISTS (SELECT 1 FROM case_record c WHERE c.id = {})"
DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"

# Tables holding one case's rows, by the column that leads to the case.
BY_CASE = ("person", "relationship", "entry", "flag_review", "case_review")
BY_PERSON = ("person_alias", "person_name_key")
BY_ENTRY = ("entry_person", "entry_tag")

TABLES = """
CREATE TABLE IF NOT EXISTS chronology_team_member (
    role_name text NOT NULL,
    team text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('practitioner', 'supervisor')),
    PRIMARY KEY (role_name, team)
);
CREATE INDEX IF NOT EXISTS ix_team_member_team ON chronology_team_member (team);
CREATE TABLE IF NOT EXISTS chronology_access_limit (
    case_id integer NOT NULL REFERENCES case_record (id) ON DELETE CASCADE,
    role_name text NOT NULL,
    PRIMARY KEY (case_id, role_name)
);
"""

CASE_TEAM = """
CREATE INDEX IF NOT EXISTS ix_access_limit_role ON chronology_access_limit (role_name);
ALTER TABLE case_record ADD COLUMN IF NOT EXISTS team text;
ALTER TABLE case_record ALTER COLUMN team SET DEFAULT chronology_default_team();
-- Whether the case is access-limited (chronology_access_limit names its only readers), kept
-- beside the case so that the policies read it from the row itself.
ALTER TABLE case_record ADD COLUMN IF NOT EXISTS limited boolean NOT NULL DEFAULT false;
UPDATE case_record c SET limited = EXISTS (SELECT 1 FROM chronology_access_limit l
                                           WHERE l.case_id = c.id)
    WHERE limited IS DISTINCT FROM EXISTS (SELECT 1 FROM chronology_access_limit l
                                           WHERE l.case_id = c.id);
CREATE INDEX IF NOT EXISTS ix_case_record_team ON case_record (team);
-- One hash chain per case: a record can follow only one record of its case.
CREATE UNIQUE INDEX IF NOT EXISTS ix_audit_chain_link
    ON audit_record ((coalesce(case_reference, '')), prev_hash);
CREATE INDEX IF NOT EXISTS ix_audit_case_reference ON audit_record (case_reference, id);
CREATE INDEX IF NOT EXISTS ix_audit_hash ON audit_record (hash);
CREATE INDEX IF NOT EXISTS ix_person_name_trgm ON person USING gin (lower(name) gin_trgm_ops);
"""

# The default-team function: after the membership table, before the column default.
FIRST_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION chronology_default_team() RETURNS text
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT min(team) FROM chronology_team_member WHERE role_name = session_user
$$;
"""

FUNCTIONS = f"""
-- PL/pgSQL, not SQL: a SQL function with a fixed search_path is never inlined, so its query
-- would be parsed and planned again at every call (every save checks its case's row with
-- this); PL/pgSQL keeps the plan for the session.
CREATE OR REPLACE FUNCTION chronology_may_see(the_case integer, the_team text) RETURNS boolean
LANGUAGE plpgsql STABLE {DEFINER} AS $$
BEGIN
    RETURN CASE
        WHEN EXISTS (SELECT 1 FROM chronology_access_limit l WHERE l.case_id = the_case)
        THEN EXISTS (SELECT 1 FROM chronology_access_limit l
                     WHERE l.case_id = the_case AND l.role_name = session_user)
        ELSE EXISTS (SELECT 1 FROM chronology_team_member m
                     WHERE m.team = the_team AND m.role_name = session_user)
    END;
END
$$;

CREATE OR REPLACE FUNCTION chronology_case_visible(the_case integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce(
        (SELECT chronology_may_see(c.id, c.team) FROM case_record c WHERE c.id = the_case),
        false)
$$;

-- Every case the caller may see, once per statement (policies ask for it as a hashed
-- subquery, so a scan costs one probe a row, never a function call a row).
CREATE OR REPLACE FUNCTION chronology_visible_cases() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} ROWS 500 AS $$
    SELECT c.id FROM case_record c
    JOIN chronology_team_member m ON m.team = c.team AND m.role_name = session_user
    WHERE NOT c.limited
    UNION
    SELECT l.case_id FROM chronology_access_limit l WHERE l.role_name = session_user
$$;

CREATE OR REPLACE FUNCTION chronology_person_visible(the_person integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce(
        (SELECT chronology_case_visible(p.case_id) FROM person p WHERE p.id = the_person), false)
$$;

CREATE OR REPLACE FUNCTION chronology_entry_visible(the_entry integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce(
        (SELECT chronology_case_visible(e.case_id) FROM entry e WHERE e.id = the_entry), false)
$$;

-- The newest hash of a case's chain, even when earlier records belong to a removed case the
-- caller can no longer see (a hash says nothing about the case). A case's is read backwards
-- along ix_audit_case_reference (its newest record first, however many other cases' records
-- came after it), the workspace's own chain (no case) along the primary key; PL/pgSQL keeps
-- both plans for the session (every save asks).
CREATE OR REPLACE FUNCTION chronology_chain_head(the_reference text) RETURNS text
LANGUAGE plpgsql STABLE {DEFINER} AS $$
BEGIN
    IF coalesce(the_reference, '') = '' THEN
        RETURN (SELECT hash FROM audit_record WHERE coalesce(case_reference, '') = ''
                ORDER BY id DESC LIMIT 1);
    END IF;
    RETURN (SELECT hash FROM audit_record WHERE case_reference = the_reference
            ORDER BY case_reference DESC, id DESC LIMIT 1);
END
$$;

-- Whether a case with this reference is on the server (seen or not): a record of a removed
-- case may not be written into the chain of a case that is there.
CREATE OR REPLACE FUNCTION chronology_reference_taken(the_reference text) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT EXISTS (SELECT 1 FROM case_record WHERE reference = the_reference)
$$;

-- Whether a hash is in the trail: a case's chain may start, for a reader, after records of an
-- earlier case of the same reference that they cannot see.
CREATE OR REPLACE FUNCTION chronology_hash_known(the_hash text) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT EXISTS (SELECT 1 FROM audit_record WHERE hash = the_hash)
$$;

-- Who made a change is the database user, set here, whatever the client sent.
CREATE OR REPLACE FUNCTION chronology_audit_who() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
    NEW.who := session_user;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS audit_who ON audit_record;
CREATE TRIGGER audit_who BEFORE INSERT ON audit_record
    FOR EACH ROW EXECUTE FUNCTION chronology_audit_who();

CREATE OR REPLACE FUNCTION chronology_allocate(the_reference text, the_team text)
RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
    UPDATE case_record SET team = the_team WHERE reference = the_reference;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no case with reference %', the_reference USING ERRCODE = 'P0002';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION chronology_limit(the_reference text, the_users text[])
RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
    the_case integer;
BEGIN
    SELECT id INTO the_case FROM case_record WHERE reference = the_reference;
    IF the_case IS NULL THEN
        RAISE EXCEPTION 'no case with reference %', the_reference USING ERRCODE = 'P0002';
    END IF;
    DELETE FROM chronology_access_limit WHERE case_id = the_case;
    INSERT INTO chronology_access_limit (case_id, role_name)
        SELECT the_case, u FROM unnest(the_users) AS u;
    UPDATE case_record SET limited = coalesce(cardinality(the_users), 0) > 0
        WHERE id = the_case;
END
$$;

"""

PRIVATE_FUNCTIONS = ("chronology_allocate(text, text)", "chronology_limit(text, text[])")
PUBLIC_FUNCTIONS = (
    "chronology_default_team()",
    "chronology_may_see(integer, text)",
    "chronology_case_visible(integer)",
    "chronology_visible_cases()",
    "chronology_person_visible(integer)",
    "chronology_entry_visible(integer)",
    "chronology_chain_head(text)",
    "chronology_reference_taken(text)",
    "chronology_hash_known(text)",
)


def policies(tables: list[str]) -> list[str]:
    """The statements that switch row-level security on (and force it) for every table and
    give each group what it may see and do."""
    statements = []
    for table in tables:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS owner_all ON {table}",
            # The owner group: migrations and the definer functions above. Nobody signs in as it.
            f"CREATE POLICY owner_all ON {table} TO {OWNER} USING (true) WITH CHECK (true)",
            f"DROP POLICY IF EXISTS workers ON {table}",
            f"DROP POLICY IF EXISTS admins ON {table}",
            f"DROP POLICY IF EXISTS supervisors ON {table}",
            f"REVOKE ALL ON {table} FROM {PRACTITIONER}, {SUPERVISOR}, {ADMIN}, PUBLIC",
        ]
    write = "SELECT, INSERT, UPDATE, DELETE"

    def workers(table: str, check: str) -> list[str]:
        return [
            f"GRANT {write} ON {table} TO {WORKERS}",
            f"CREATE POLICY workers ON {table} TO {WORKERS} USING ({check}) WITH CHECK ({check})",
        ]

    statements += [
        f"GRANT SELECT, INSERT, DELETE ON case_record TO {WORKERS}",
        f"CREATE POLICY workers ON case_record TO {WORKERS} USING {SEES_CASE} "
        "WITH CHECK (chronology_may_see(id, team))",
    ]
    for table in BY_CASE:
        statements += workers(table, VISIBLE.format("case_id"))
    # Rows of a person or an entry: visible with it (its table's own policy decides).
    for table in BY_PERSON:
        statements += workers(table, "EXISTS (SELECT 1 FROM person p WHERE p.id = person_id)")
    for table in BY_ENTRY:
        statements += workers(table, "EXISTS (SELECT 1 FROM entry e WHERE e.id = entry_id)")
    statements += workers(
        "person_match",
        "EXISTS (SELECT 1 FROM person p WHERE p.id = person_a_id) "
        "AND EXISTS (SELECT 1 FROM person p WHERE p.id = person_b_id)",
    )
    # Case reviews are a supervisor's: practitioners read them, supervisors write them.
    statements += [
        "DROP POLICY IF EXISTS workers ON case_review",
        # DELETE is granted so that removing a whole case (undo of its import) can run; no
        # policy lets a practitioner delete a review row itself (their DELETE matches none).
        f"GRANT SELECT, DELETE ON case_review TO {PRACTITIONER}",
        f"CREATE POLICY workers ON case_review FOR SELECT TO {WORKERS} "
        f"USING ({VISIBLE.format('case_id')})",
        f"CREATE POLICY supervisors ON case_review TO {SUPERVISOR} "
        f"USING ({VISIBLE.format('case_id')}) WITH CHECK ({VISIBLE.format('case_id')})",
        f"REVOKE INSERT, UPDATE ON case_review FROM {PRACTITIONER}",
        # The audit trail: appended to and read, never changed (no UPDATE or DELETE grant).
        f"GRANT SELECT, INSERT ON audit_record TO {WORKERS}",
        # Read: the workspace's own records, those of the cases the caller sees, and the
        # records of a case's removal (case_id gone) only by whoever removed it (they carry
        # the case's content). Written: only into the chain of a case the caller sees (its
        # reference must be that case's), or of a case no longer there.
        f"CREATE POLICY workers ON audit_record TO {WORKERS} "
        f"USING (case_reference IS NULL OR {VISIBLE.format('case_id')} "
        "OR (case_id IS NULL AND who = session_user)) "
        f"WITH CHECK (CASE WHEN case_id IS NULL "
        "THEN case_reference IS NULL OR NOT chronology_reference_taken(case_reference) "
        f"ELSE {VISIBLE.format('case_id')} AND case_reference = "
        "(SELECT c.reference FROM case_record c WHERE c.id = case_id) END)",
        # The authority's settings: read by everyone, changed by supervisors and admins.
        f"GRANT SELECT ON workspace_meta TO {WORKERS}, {ADMIN}",
        f"GRANT INSERT, UPDATE, DELETE ON workspace_meta TO {SUPERVISOR}, {ADMIN}",
        f"CREATE POLICY workers ON workspace_meta FOR SELECT TO {WORKERS}, {ADMIN} USING (true)",
        f"CREATE POLICY supervisors ON workspace_meta TO {SUPERVISOR}, {ADMIN} "
        "USING (true) WITH CHECK (true)",
        f"GRANT SELECT ON alembic_version TO {WORKERS}, {ADMIN}",
        f"CREATE POLICY workers ON alembic_version FOR SELECT TO {WORKERS}, {ADMIN} USING (true)",
        # Memberships and limits: each person reads their own; admins manage them.
        f"GRANT SELECT ON chronology_team_member, chronology_access_limit TO {WORKERS}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON chronology_team_member, "
        f"chronology_access_limit TO {ADMIN}",
        f"CREATE POLICY workers ON chronology_team_member FOR SELECT TO {WORKERS} "
        "USING (role_name = session_user)",
        f"CREATE POLICY admins ON chronology_team_member TO {ADMIN} USING (true) WITH CHECK (true)",
        f"CREATE POLICY workers ON chronology_access_limit FOR SELECT TO {WORKERS} "
        "USING (role_name = session_user)",
        f"CREATE POLICY admins ON chronology_access_limit TO {ADMIN} USING (true) "
        "WITH CHECK (true)",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {WORKERS}",
    ]
    for function in (*PRIVATE_FUNCTIONS, *PUBLIC_FUNCTIONS):
        statements.append(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    for function in PRIVATE_FUNCTIONS:
        statements.append(f"GRANT EXECUTE ON FUNCTION {function} TO {ADMIN}")
    for function in PUBLIC_FUNCTIONS:
        statements.append(f"GRANT EXECUTE ON FUNCTION {function} TO {WORKERS}")
    return statements
