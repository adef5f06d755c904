"""The policy verdict in the window: the review page's panel and timeline markers, re-checked after every tag change,
the library's verdict column and filter, and the per-team policy choice. Real widgets on a copy of the demo library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.domain.parties import Actor
from reviewer.domain.verdict import Step, VerdictStatus
from reviewer.services.checking import stored_verdict
from reviewer.services.context import Services
from reviewer.services.policies import choose_policy, policies_dir
from reviewer.ui.main_window import MainWindow
from reviewer.ui.verdict_panel import STEP_ROLE, VerdictPanel
from tests.gui.test_review_window import _open as _open_call
from tests.gui.test_review_window import demo_db, services, window

__all__ = ["demo_db", "services", "window"]  # fixtures shared with the review window tests


def _open(qtbot: QtBot, window: MainWindow, ref: str) -> int:
    """Open a call and wait for its verdict, which a worker checks once the call is drawn."""
    with qtbot.waitSignal(window.review.verdict_shown, timeout=10000):
        return _open_call(qtbot, window, ref)


def _rules(window: MainWindow) -> set[str]:
    verdict = window.review.verdict_panel.verdict
    assert verdict is not None
    return {f.rule for f in verdict.findings}


def _row_of(panel: VerdictPanel, text: str) -> int:
    lines = [panel.model.index(r).data() for r in range(panel.model.rowCount())]
    return next(r for r, line in enumerate(lines) if text in line)


def test_an_opened_call_shows_its_verdict_markers_and_rules(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-02")
    review = window.review
    assert review.verdict_panel.status_text() is VerdictStatus.VIOLATION
    assert _rules(window) == {"R1.premature_hangup", "R6.lead_not_notified", "R6.not_logged"}
    assert "Violation" in review.verdict_panel.status.text() and "3 findings" in review.verdict_panel.status.text()
    assert "Violation" in review.verdict_badge.text()
    assert review.timeline.markers() == ((32297, "violation"),) * 3
    hang_up = next(t for t in review.editor.tags() if t.kind == "hang_up")
    rule_column = review.tag_model.columnCount() - 1
    row = review.tag_model.row_of(hang_up.id)
    assert row is not None and review.tag_model.index(row, rule_column).data() == "R1, R6"


def test_ticking_the_call_facts_rechecks_within_a_moment(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    target = _open(qtbot, window, "demo-02")
    review = window.review
    review.lead_notified.click()
    review.account_noted.click()
    qtbot.waitUntil(lambda: _rules(window) == {"R1.premature_hangup"}, timeout=3000)
    stored = stored_verdict(services, target)
    assert stored is not None and not stored.stale
    assert {f.rule for f in stored.verdict.findings} == {"R1.premature_hangup"}


def test_deleting_the_third_offence_makes_the_hang_up_premature(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-01")
    review = window.review
    assert review.verdict_panel.status_text() is VerdictStatus.COMPLIANT
    third = next(t for t in review.editor.tags() if t.note == "third offence")
    review.editor.delete(third, "Delete")
    qtbot.waitUntil(lambda: review.verdict_panel.status_text() is VerdictStatus.VIOLATION, timeout=3000)
    assert "R1.premature_hangup" in _rules(window)
    review.editor.stack.undo()
    qtbot.waitUntil(lambda: review.verdict_panel.status_text() is VerdictStatus.COMPLIANT, timeout=3000)


def test_clicking_a_step_seeks_and_selects_its_tags(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-02")
    panel = window.review.verdict_panel
    row = _row_of(panel, "warning 1 of 2 after profanity at 00:15")
    step = panel.model.index(row).data(STEP_ROLE)
    assert step.step is Step.RESPONSE
    rect = panel.list.visualRect(panel.model.index(row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    warning = next(t for t in window.review.editor.tags() if t.kind == "warning")
    assert window.review.timeline.playhead_ms() == warning.start_ms == step.at_ms
    assert window.review.timeline.selected_tag_id() == warning.id


def test_findings_only_hides_the_other_steps(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-02")
    panel = window.review.verdict_panel
    everything = panel.model.rowCount()
    panel.findings_only.setChecked(True)
    shown = [panel.model.index(r).data(STEP_ROLE) for r in range(panel.model.rowCount())]
    assert 0 < len(shown) < everything and all(s.step is Step.FINDING for s in shown)


def test_trace_model_is_a_valid_qt_model(qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester) -> None:
    _open(qtbot, window, "demo-01")
    assert window.review.verdict_panel.model.rowCount() > 5
    qtmodeltester.check(window.review.verdict_panel.model)


def test_library_shows_verdicts_and_filters_by_them(qtbot: QtBot, window: MainWindow) -> None:
    window.show_library()
    library = window.library
    qtbot.waitUntil(lambda: all(c.verdict is not None for c in library.model.calls()), timeout=10000)
    verdicts = {c.external_id: c.verdict for c in library.model.calls()}
    assert verdicts["demo-02"] is VerdictStatus.VIOLATION and verdicts["demo-07"] is VerdictStatus.COACHING
    assert sum(v is VerdictStatus.COMPLIANT for v in verdicts.values()) == 8
    column = next(
        i
        for i in range(library.model.columnCount())
        if library.model.headerData(i, Qt.Orientation.Horizontal) == "Verdict"
    )
    assert {library.model.index(r, column).data() for r in range(10)} == {"Compliant", "Coaching", "Violation"}
    library.filters.verdict.setCurrentIndex(library.filters.verdict.findData(VerdictStatus.VIOLATION))
    qtbot.waitUntil(lambda: [c.external_id for c in library.model.calls()] == ["demo-02"], timeout=3000)


def test_choosing_a_stricter_policy_for_a_team_changes_its_verdicts(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.show_library()
    library = window.library
    qtbot.waitUntil(
        lambda: all(c.verdict is not None and not c.verdict_stale for c in library.model.calls()), timeout=10000
    )
    dialog = window.show_policies()
    qtbot.addWidget(dialog)
    assert set(dialog.combos) == {"", "Team North", "Team South"}
    broken = tmp_path / "broken.toml"
    ladder = 'id = "R1"\noffences = ["profanity"]\nresponse = "warning"\nrequried = 2\n'
    broken.write_text(f'[policy]\nname = "x"\nversion = "1"\n[[ladder]]\n{ladder}', encoding="utf-8")
    assert not dialog.choose("Team North", broken)
    assert "broken.toml: line 8" in dialog.error.text() and "did you mean 'required'" in dialog.error.text()
    assert dialog.choose("Team North", policies_dir() / "strict.toml")
    assert "Strict" in dialog.combos["Team North"].currentText()

    def demo_01() -> VerdictStatus | None:
        return next(c for c in library.model.calls() if c.external_id == "demo-01").verdict

    qtbot.waitUntil(lambda: demo_01() is VerdictStatus.VIOLATION, timeout=10000)
    south = [c for c in library.model.calls() if c.team == "Team South"]
    assert [c.verdict for c in south if c.external_id == "demo-02"] == [VerdictStatus.VIOLATION]
    dialog.close()


def test_a_team_policy_adds_its_kinds_to_the_tagging_vocabulary(qtbot: QtBot, window: MainWindow) -> None:
    choose_policy(window.services, "Team North", policies_dir() / "strict.toml")
    _open(qtbot, window, "demo-01")
    review = window.review
    assert "sarcasm" in [k.name for k in review.kinds] and "sarcasm" in [k.name for k in review.tag_model.kinds]
    assert "sarcasm" in [a.text() for a in window.kind_actions]
    assert review.verdict_panel.status_text() is VerdictStatus.VIOLATION  # three warnings needed: premature
    review.timeline.set_current_lane(Actor.CUSTOMER)
    review.timeline.set_selection(Actor.CUSTOMER, 1000, 2500)
    review.tag_as("sarcasm")
    made = [t for t in review.editor.tags() if t.kind == "sarcasm"]
    assert [(t.actor, t.start_ms, t.end_ms) for t in made] == [(Actor.CUSTOMER, 1000, 2500)]

    def sarcasm_counted() -> bool:
        verdict = review.verdict_panel.verdict
        return verdict is not None and any(s.facts.kind == "sarcasm" for s in verdict.trace)

    qtbot.waitUntil(sarcasm_counted, timeout=3000)
    _open(qtbot, window, "demo-02")  # Team South keeps the default policy and its vocabulary
    assert "sarcasm" not in [k.name for k in window.review.kinds]
    assert "sarcasm" not in [a.text() for a in window.kind_actions]
