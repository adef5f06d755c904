"""The review page's verdict: re-checked a moment after every tag change, shown in the panel and on the timeline."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from reviewer.domain.problems import CallNotFoundError, InputError, StorageError
from reviewer.domain.verdict import Severity, Verdict
from reviewer.services.checking import check_call
from reviewer.text.problems import describe
from reviewer.ui.review_base import ReviewBase
from reviewer.ui.verdict_panel import badge_text

# After a tag change: long enough to fold a burst of nudges into one check, short enough to feel immediate.
RECHECK_DELAY_MS = 150


class VerdictHandlers(ReviewBase):
    """Checks the open call against its team's policy, stores the verdict and shows it."""

    _verdict_timer: QTimer

    def _connect_verdicts(self) -> None:
        self._verdict_timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._verdict_timer.setObjectName("recheckVerdict")
        self._verdict_timer.timeout.connect(self.recheck)
        self.verdict_panel.step_activated.connect(self._on_verdict_step_activated)

    def schedule_recheck(self) -> None:
        """Check again shortly (restarts: one check after a burst of changes)."""
        if self.call is not None:
            self._verdict_timer.start()

    def recheck(self) -> Verdict | None:
        """Check the open call now; the verdict is stored, shown, and marked on the timeline."""
        self._verdict_timer.stop()
        if self.call is None or self.call.id is None:
            return None
        try:
            verdict = check_call(self.services, self.call.id).verdict
        except InputError as error:
            self._show_unchecked(describe(error.problem))
            return None
        except (StorageError, CallNotFoundError) as error:
            self._show_unchecked(f"the library failed: {getattr(error, 'detail', error)}")
            return None
        self.verdict_panel.set_verdict(verdict)
        self.verdict_badge.setText(badge_text(verdict))
        self.timeline.set_markers(
            [(f.at_ms, f.severity.value) for f in verdict.findings if f.severity != Severity.INFO]
        )
        self.tag_model.set_rules(_rules_by_tag(verdict))
        return verdict

    def _show_unchecked(self, why: str) -> None:
        self.verdict_panel.set_problem(why)
        self.verdict_badge.setText(badge_text(None))
        self.timeline.set_markers(())
        self.tag_model.set_rules({})

    def _stop_verdicts(self) -> None:
        self._verdict_timer.stop()
        self.verdict_panel.clear()
        self.verdict_badge.clear()

    def _on_verdict_step_activated(self, at_ms: int, tags: tuple[int, ...]) -> None:
        self.seek(at_ms)
        shown = [t for t in tags if self.editor.tag(t) is not None]
        if shown:
            self.timeline.select_tag(shown[0])
            self.tag_table.select_tag(shown[0])


def _rules_by_tag(verdict: Verdict) -> dict[int, str]:
    """Per tag, the rules whose steps used it ('R1, R6'), for the tag table's Rule column."""
    rules: dict[int, set[str]] = {}
    for step in verdict.trace:
        for tag_id in step.tags:
            rules.setdefault(tag_id, set()).add(step.rule.partition(".")[0])
    return {tag_id: ", ".join(sorted(found, key=_rule_order)) for tag_id, found in rules.items()}


def _rule_order(rule: str) -> tuple[int, str]:
    digits = "".join(c for c in rule if c.isdigit())
    return (int(digits) if digits else 0, rule)
