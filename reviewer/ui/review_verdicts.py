"""The review page's verdict: re-checked a moment after every tag change, shown in the panel and on the timeline.

The check (reading the tags, checking, storing the verdict) runs on a worker: on a long call it takes a few hundred
milliseconds, which would otherwise stall the window when a call opens or a tag changes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from reviewer.domain.problems import CallNotFoundError, InputError, StorageError
from reviewer.domain.verdict import Severity, Verdict
from reviewer.services.checking import CheckedCall, checking_call
from reviewer.text.problems import describe
from reviewer.ui import workers
from reviewer.ui.review_base import ReviewBase
from reviewer.ui.verdict_panel import badge_text

# After a tag change: long enough to fold a burst of nudges into one check, short enough to feel immediate.
RECHECK_DELAY_MS = 150


class VerdictHandlers(ReviewBase):
    """Checks the open call against its team's policy, stores the verdict and shows it."""

    _verdict_timer: QTimer
    _verdict_job: workers.Job | None = None
    _verdict_again = False  # a change came while a check ran: check once more when it ends

    def _connect_verdicts(self) -> None:
        self._verdict_timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._verdict_timer.setObjectName("recheckVerdict")
        self._verdict_timer.timeout.connect(self.recheck)
        self.verdict_panel.step_activated.connect(self._on_verdict_step_activated)

    def schedule_recheck(self) -> None:
        """Check again shortly (restarts: one check after a burst of changes)."""
        if self.call is not None:
            self._verdict_timer.start()

    def recheck(self) -> None:
        """Check the open call now, on a worker; the verdict is stored, shown, and marked on the timeline."""
        self._verdict_timer.stop()
        if self.call is None or self.call.id is None:
            return
        if self._verdict_job is not None:
            self._verdict_again = True
            return
        call_id = self.call.id
        job = self._verdict_job = workers.start(lambda: checking_call(self.services, call_id), self)
        job.finished.connect(lambda checked: self._on_verdict_checked(job, checked))
        job.failed.connect(lambda error: self._on_verdict_failed(job, error))

    def _on_verdict_checked(self, job: workers.Job, checked: CheckedCall) -> None:
        if not self._verdict_job_ends(job, checked.call_id):
            return
        self._show_verdict(checked.verdict)

    def _on_verdict_failed(self, job: workers.Job, error: BaseException) -> None:
        if not self._verdict_job_ends(job, self.call.id if self.call else None):
            return
        if isinstance(error, InputError):
            self._show_unchecked(describe(error.problem))
        elif isinstance(error, StorageError | CallNotFoundError):
            self._show_unchecked(f"the library failed: {getattr(error, 'detail', error)}")
        elif not isinstance(error, workers.CancelledError):
            raise error  # a bug: the application's excepthook reports it

    def _verdict_job_ends(self, job: workers.Job, call_id: int | None) -> bool:
        """Forget the finished job; True when its result is for the call still open and nothing changed since."""
        if job is not self._verdict_job:
            return False  # the call was closed meanwhile
        self._verdict_job = None
        if self._verdict_again:
            self._verdict_again = False
            self.recheck()
            return False
        return self.call is not None and self.call.id == call_id

    def _show_verdict(self, verdict: Verdict) -> None:
        self.verdict_panel.set_verdict(verdict)
        self.verdict_badge.setText(badge_text(verdict))
        self.timeline.set_markers(
            [(f.at_ms, f.severity.value) for f in verdict.findings if f.severity != Severity.INFO]
        )
        self.tag_model.set_rules(_rules_by_tag(verdict))
        self.verdict_shown.emit()

    def _show_unchecked(self, why: str) -> None:
        self.verdict_panel.set_problem(why)
        self.verdict_badge.setText(badge_text(None))
        self.timeline.set_markers(())
        self.tag_model.set_rules({})
        self.verdict_shown.emit()

    def _stop_verdicts(self) -> None:
        self._verdict_timer.stop()
        if self._verdict_job is not None:
            self._verdict_job.cancel()
        self._verdict_job, self._verdict_again = None, False
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
