"""F1: the built-in guide, offline: a tour of the window, dates, every flag in plain words,
reports and their audiences, and keeping the workspace safe."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from chronology_app.core.rules.engine import RULE_CLASSES
from chronology_app.gui.widgets.fit import fit_on_screen

SECTIONS = ("tour", "dates", "flags", "reports", "safety")

TOUR = """
<h2 id="tour">A tour of the window</h2>
<p>On the left, <b>Cases</b>: choose one to open it, or make a new one. In the middle, the
<b>chronology</b>: one row per entry, oldest first. Type in the search box (Ctrl+F) to find
entries by their words, the people named (and their other names) or a date as written; the
boxes beside it narrow by person, kind, agency, tag, significance or dates.</p>
<p>Below the chronology, the <b>timeline</b> draws a lane per person; hover over a marker to
see the entry, click it to select it. <b>People and family</b> lists everyone in the case;
double-click a person to correct their details. Beside the list, the <b>family diagram</b>:
squares for males, circles for females, a diamond when not known, a cross for someone who has
died; partners joined by a line, with a slash once they separated; children below their
parents. Restricted people are marked "restricted". Click a person to select them in the list;
double-click the diagram to see it larger.</p>
<p>On the right, the <b>flags</b>: patterns the app found. Each says what it rests on; click an
entry number to see it in the chronology.</p>
<p>Everything is saved as you go. Edit → Undo names what it will undo. The window locks itself
when left alone (File → Settings sets when); Case → Hide now locks it at once.</p>
<p>Keys: Ctrl+1 cases, Ctrl+2 chronology, Ctrl+3 timeline, Ctrl+4 flags; Ctrl+N a new entry,
Ctrl+E edit the chosen entry, Ctrl+H its history; Ctrl+Alt++ and Ctrl+Alt+- change the text size
(View menu).</p>
<p><b>High contrast.</b> When your computer is set to high contrast, Chronology follows it. If
it does not notice, View → High contrast (Ctrl+Alt+H) gives black, white and yellow: markers,
bars and messages are drawn in colours that stand out on it, and every field has a frame.</p>
"""

DATES = """
<h2 id="dates">Dates</h2>
<p>Write a date as you would in your notes: <i>12/03/2019</i>, <i>March 2019</i>,
<i>about 2014</i>, <i>early 2018</i>, <i>summer 2017</i>, <i>w/c 4 March 2019</i>,
<i>between March and May 2019</i>, <i>before 2019</i>. The editor shows how it read the date
before you save. A date it cannot read for certain is refused with the reason, never
guessed.</p>
<p>An uncertain date covers every day it could be. When a flag depends on where such a date
falls, its explanation says so.</p>
<p>A date after today is most often a mistyped year. The editor says so as you type, and asks
before saving one ("12 March 2031 is more than 4 years from today; save it anyway?"). The
timeline leaves entries more than a month after today off, so the rest is not squashed; the
button beside its legend ("1 entry after today — show") shows them.</p>
"""

REPORTS = """
<h2 id="reports">Reports and who they are for</h2>
<ul>
<li><b>Internal</b>: everything, for the team.</li>
<li><b>Conference</b>: family-facing; restricted entries and people are left out.</li>
<li><b>Review</b>: adds who recorded what and when, for a supervisor or an audit.</li>
</ul>
<p>Every page carries the protective marking and its page number. “Prepared by” is your name
(File → Who is working).</p>
"""

SAFETY = """
<h2 id="safety">Keeping the workspace safe</h2>
<p>A workspace is one encrypted file; only its passphrase opens it. Chronology backs it up each
time it opens (File → Workspace care lists the backups, makes one now and restores one: the
workspace as it was is kept). Change the passphrase there too.</p>
<p>The audit trail records who changed what, when and why. Workspace care checks it and shows
a <b>fingerprint</b>: note it down; a later check proves nothing before it was altered.</p>
<p>A case file (File → Export case file) is <b>not</b> encrypted. To send a case, export an
encrypted bundle and give its passphrase separately, by phone.</p>
"""


def plain(text: str) -> str:
    """A rule's wording without its internal ids ("the potential-escalation criterion" reads
    "the potential escalation criterion")."""
    for rule in RULE_CLASSES:
        text = text.replace(rule.id, rule.id.replace("-", " "))
    return text


def flags_section() -> str:
    items = "".join(
        f"<h3>{html.escape(rule.title)}</h3><p>{html.escape(plain(rule.suggested_action))}</p>"
        f"<p><i>Why:</i> {html.escape(plain(rule.basis))}</p>"
        for rule in RULE_CLASSES
    )
    return (
        '<h2 id="flags">Flags</h2><p>A flag is a prompt for professional judgement, never a '
        "score or a prediction. Acknowledge or dismiss each with a reason; the reason is kept "
        "and the flag stays answered while its evidence is unchanged.</p>" + items
    )


def guide_html() -> str:
    contents = "".join(
        f'<a href="#{name}">{title}</a> · '
        for name, title in zip(
            SECTIONS, ("The window", "Dates", "Flags", "Reports", "Data safety"), strict=True
        )
    )
    return (
        f"<h1>Chronology guide</h1><p>{contents}</p>{TOUR}{DATES}{flags_section()}{REPORTS}{SAFETY}"
    )


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, section: str = "tour") -> None:
        super().__init__(parent)
        self.setWindowTitle("Chronology guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if section in SECTIONS:
            self.browser.scrollToAnchor(section)
        fit_on_screen(self, 760, 640)
