"""How strong a new passphrase must be: one policy for the app, the command line and bundles.

zxcvbn judges how easy a passphrase is to guess; a new one needs a score of at least
MIN_NEW_SCORE. Passphrases chosen before this policy still open their workspaces.
"""

from __future__ import annotations

# A new passphrase (a workspace's, a passphrase change, a bundle's) must reach this zxcvbn score
# (0 to 4; 3 is "safely unguessable: moderate protection from an offline attack").
MIN_NEW_SCORE = 3
# zxcvbn's work grows with the length; a longer passphrase is judged on its first characters.
_SCORED_CHARACTERS = 100


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too easy to guess (judged by zxcvbn), or None when it will do.
    The app's dialog and the CLI ask the same of it."""
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # only when one is chosen

    if not passphrase.strip():
        return "The new passphrase is empty: use four or more unrelated words."
    verdict = zxcvbn(passphrase[:_SCORED_CHARACTERS])
    if int(verdict["score"]) >= MIN_NEW_SCORE:
        return None
    feedback = verdict.get("feedback") or {}
    warning = str(feedback.get("warning") or "").strip()
    why = f" ({warning.rstrip('.')})" if warning else ""
    return (
        f"The new passphrase is too easy to guess{why}: use four or more unrelated words, "
        "for example a short sentence only you would write."
    )
