"""The server's hold on a checked-out case: while a case is checked out to work offline, the
database refuses every change to it by anyone but the person who checked it out (and the
database administrator, whose `server init` migrations refile derived columns of every person).

`chronology_checkout` holds one row a checked-out case (who, since when). A trigger on every
table holding a case's rows (the case's own row, persons, relationships, entries and their
links, flag and case reviews) refuses an insert, update or delete by anyone else, with a
message naming who checked it out and when: enforced by the database, so plain SQL is refused
as the app is. The check-in applies the offline work and lifts the hold in one transaction; a
supervisor who sees the case, or an admin, may lift it (`chronology server release URL REF`),
for example when the laptop is lost. Allocating a case to another team is not held up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chronology_app.core.errors import NotAllowed
from chronology_app.core.store import server_policies as policy

DEFINER = policy.DEFINER
WORKERS = policy.WORKERS
HELD = "CK001"  # the SQLSTATE of a change refused because the case is checked out
ASKED = "CK002"  # checking out a case someone else has checked out

TABLE = """
CREATE TABLE IF NOT EXISTS chronology_checkout (
    case_id integer PRIMARY KEY REFERENCES case_record (id) ON DELETE CASCADE,
    who text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
"""

# How each table's rows lead to their case (the trigger's argument).
LEADS = {
    "case_record": "self",
    **dict.fromkeys(policy.BY_CASE, "case"),
    **dict.fromkeys(policy.BY_PERSON, "person"),
    **dict.fromkeys(policy.BY_ENTRY, "entry"),
}

# The database administrator (a member of the owner role, as whoever runs `server init` is) is
# not held: the migrations `server init` runs refile derived columns of every person (migration
# 0006), checked out or not, and a member of the owner role owns the tables and could disable
# this trigger anyway. session_user, not current_user: inside this SECURITY DEFINER function
# current_user is always the owner. No setting a user could change decides it.
ADMINISTRATOR_PASSES = f"""\
    IF pg_has_role(session_user, '{policy.OWNER}', 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;"""

# The trigger function alone: `server init` puts it in place before the migrations as well, so
# that a server set up by an older release is upgraded under this one.
REFUSE_CHECKED_OUT = f"""
CREATE OR REPLACE FUNCTION chronology_refuse_checked_out() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
    the_row jsonb;
    the_case integer;
    holder record;
BEGIN
    -- Nearly always nothing is checked out: one look at an empty table.
    IF NOT EXISTS (SELECT 1 FROM chronology_checkout) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
{ADMINISTRATOR_PASSES}
    the_row := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    IF TG_ARGV[0] = 'self' THEN
        the_case := (the_row ->> 'id')::integer;
        -- an allocation or an access limit is not a change to the case's content
        IF TG_OP = 'UPDATE'
           AND to_jsonb(NEW) - 'team' - 'limited' = to_jsonb(OLD) - 'team' - 'limited' THEN
            RETURN NEW;
        END IF;
    ELSIF TG_ARGV[0] = 'case' THEN
        the_case := (the_row ->> 'case_id')::integer;
    ELSIF TG_ARGV[0] = 'person' THEN
        SELECT p.case_id INTO the_case FROM person p WHERE p.id = (the_row ->> 'person_id')::int;
    ELSE
        SELECT e.case_id INTO the_case FROM entry e WHERE e.id = (the_row ->> 'entry_id')::int;
    END IF;
    SELECT k.who, k.at, c.reference INTO holder
        FROM chronology_checkout k JOIN case_record c ON c.id = k.case_id
        WHERE k.case_id = the_case;
    IF FOUND AND holder.who <> session_user THEN
        RAISE EXCEPTION 'case % is checked out by % since % (UTC): only its check-in changes it',
            holder.reference, holder.who,
            to_char(holder.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
            USING ERRCODE = '{HELD}',
                  DETAIL = json_build_object('reference', holder.reference, 'who', holder.who,
                                             'at', holder.at)::text;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
"""

FUNCTIONS = f"""{REFUSE_CHECKED_OUT}
-- Check a case out: only someone who sees it, and not while someone else has it out.
CREATE OR REPLACE FUNCTION chronology_check_out(the_reference text) RETURNS void
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
    the_case integer;
    holder record;
BEGIN
    SELECT c.id INTO the_case FROM case_record c WHERE c.reference = the_reference;
    IF the_case IS NULL OR NOT chronology_case_visible(the_case) THEN
        RAISE EXCEPTION 'no case with reference % that you can see', the_reference
            USING ERRCODE = 'P0002';
    END IF;
    SELECT k.who, k.at INTO holder FROM chronology_checkout k WHERE k.case_id = the_case
        FOR UPDATE;
    IF FOUND AND holder.who <> session_user THEN
        RAISE EXCEPTION 'case % is already checked out by % since % (UTC)',
            the_reference, holder.who,
            to_char(holder.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
            USING ERRCODE = '{ASKED}',
                  DETAIL = json_build_object('reference', the_reference, 'who', holder.who,
                                             'at', holder.at)::text;
    END IF;
    INSERT INTO chronology_checkout (case_id, who, at) VALUES (the_case, session_user, now())
        ON CONFLICT (case_id) DO UPDATE SET at = excluded.at;
END
$$;

-- Lift the hold: by whoever checked the case out (their check-in), a supervisor who sees the
-- case, or an admin. Returns who had it out (NULL when nobody had).
CREATE OR REPLACE FUNCTION chronology_release(the_reference text) RETURNS text
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
    the_case integer;
    holder text;
BEGIN
    SELECT c.id INTO the_case FROM case_record c WHERE c.reference = the_reference;
    IF the_case IS NULL OR NOT (pg_has_role(session_user, '{policy.ADMIN}', 'MEMBER')
                                OR chronology_case_visible(the_case)) THEN
        RAISE EXCEPTION 'no case with reference % that you can see', the_reference
            USING ERRCODE = 'P0002';
    END IF;
    SELECT k.who INTO holder FROM chronology_checkout k WHERE k.case_id = the_case FOR UPDATE;
    IF holder IS NULL THEN
        RETURN NULL;
    END IF;
    IF holder <> session_user
       AND NOT pg_has_role(session_user, '{policy.ADMIN}', 'MEMBER')
       AND NOT pg_has_role(session_user, '{policy.SUPERVISOR}', 'MEMBER') THEN
        RAISE EXCEPTION 'case % is checked out by %: only they (by checking it in), a supervisor '
            'or an admin may release it', the_reference, holder USING ERRCODE = '42501';
    END IF;
    DELETE FROM chronology_checkout WHERE case_id = the_case;
    RETURN holder;
END
$$;
"""

FUNCTION_NAMES = ("chronology_check_out(text)", "chronology_release(text)")


def statements() -> list[str]:
    """Everything `server init` runs for the hold, after the tables and policies exist."""
    done = [TABLE, FUNCTIONS]
    for table, lead in LEADS.items():
        done += [
            f"DROP TRIGGER IF EXISTS refuse_checked_out ON {table}",
            f"CREATE TRIGGER refuse_checked_out BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION chronology_refuse_checked_out('{lead}')",
        ]
    done += [
        "ALTER TABLE chronology_checkout ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE chronology_checkout FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS owner_all ON chronology_checkout",
        f"CREATE POLICY owner_all ON chronology_checkout TO {policy.OWNER} "
        "USING (true) WITH CHECK (true)",
        f"REVOKE ALL ON chronology_checkout FROM {WORKERS}, {policy.ADMIN}, PUBLIC",
        # Who has a case out is read by those who see the case (and admins); written only by
        # the functions above.
        f"GRANT SELECT ON chronology_checkout TO {WORKERS}, {policy.ADMIN}",
        "DROP POLICY IF EXISTS workers ON chronology_checkout",
        f"CREATE POLICY workers ON chronology_checkout FOR SELECT TO {WORKERS} "
        f"USING ({policy.VISIBLE.format('case_id')})",
        "DROP POLICY IF EXISTS admins ON chronology_checkout",
        f"CREATE POLICY admins ON chronology_checkout FOR SELECT TO {policy.ADMIN} USING (true)",
        "REVOKE ALL ON FUNCTION chronology_refuse_checked_out() FROM PUBLIC",
    ]
    for function in FUNCTION_NAMES:
        done += [
            f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION {function} TO {WORKERS}, {policy.ADMIN}",
        ]
    return done


@dataclass(frozen=True)
class Hold:
    reference: str
    who: str
    at: str  # ISO time, UTC

    @classmethod
    def from_detail(cls, detail: str | None) -> Hold | None:
        try:
            found: Any = json.loads(detail or "")
            return cls(str(found["reference"]), str(found["who"]), str(found["at"]))
        except (ValueError, KeyError, TypeError):
            return None

    @property
    def when(self) -> str:
        return self.at[:16].replace("T", " ") + " (UTC)"


class CaseCheckedOut(NotAllowed):
    """The case is checked out to work offline by someone else: the server refuses changes."""

    def __init__(self, hold: Hold, checking_out: bool = False) -> None:
        self.hold = hold
        if checking_out:
            text = (
                f"Case {hold.reference} is already checked out by {hold.who} since "
                f"{hold.when}. Ask them to check it in first (or a supervisor to release it "
                "with `chronology server release`). Nothing was checked out."
            )
        else:
            text = (
                f"Case {hold.reference} is checked out by {hold.who} since {hold.when} to "
                "work offline, so the server takes no changes to it until they check it in "
                "(or a supervisor releases it with `chronology server release`). Nothing was "
                "changed; keep what you typed and save it once the case is checked in."
            )
        super().__init__(text)


def refusal(original: Any) -> CaseCheckedOut | None:
    """The server's refusal of a change to a checked-out case, as an error to act on."""
    state = getattr(original, "sqlstate", None)
    if state not in (HELD, ASKED):
        return None
    diag = getattr(original, "diag", None)
    hold = Hold.from_detail(getattr(diag, "message_detail", None))
    if hold is None:
        return None
    return CaseCheckedOut(hold, checking_out=state == ASKED)
