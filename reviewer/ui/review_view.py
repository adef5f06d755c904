"""The review page's layout: header, timeline, transport, transcript, tag list, suggestions and review notes.

No behaviour here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain.call import ReviewStatus
from reviewer.ui.suggestion_panel import SuggestionPanel
from reviewer.ui.tag_table import TagTableModel, TagTableView
from reviewer.ui.timeline.colors import TimelineColors
from reviewer.ui.timeline.widget import TimelineWidget
from reviewer.ui.transcript_pane import TranscriptPane
from reviewer.ui.verdict_panel import VerdictPanel

STATUS_TEXT = {ReviewStatus.TODO: "To do", ReviewStatus.IN_PROGRESS: "In progress", ReviewStatus.DONE: "Done"}


class ReviewView(QWidget):
    """Builds the widgets of the review page; ReviewPage adds the behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QComboBox()
        for status, text in STATUS_TEXT.items():
            self.status.addItem(text, status)
        self.status.setToolTip("Review status of this call (saved at once)")
        self.lead_notified = QCheckBox("Team lead notified")
        self.account_noted = QCheckBox("Logged in the account")
        self.lead_notified.setToolTip("Call-level fact the policy checks after a hang-up (tag lead_notified)")
        self.account_noted.setToolTip("The incident was written into the customer's account (tag account_noted)")
        self.timeline = TimelineWidget()
        self.legend = QLabel()
        self.legend.setObjectName("keyLegend")
        self.legend.setWordWrap(True)
        self.transcript = TranscriptPane()
        colors = TimelineColors(self.palette())  # the tag list's swatches match the timeline's tags
        self.tag_model = TagTableModel(self, color_for=lambda kind: colors.kind(kind).fill)
        self.tag_table = TagTableView(self.tag_model)
        self.verdict_panel = VerdictPanel()
        self.suggestion_panel = SuggestionPanel()
        self.verdict_badge = QLabel()
        self.verdict_badge.setObjectName("verdictBadge")
        self.verdict_badge.setToolTip("The policy verdict on this call (details in the verdict panel)")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("Your summary of this call: what happened, what to coach…  (saved as you type)")
        self._build_transport()
        self._lay_out()

    def _build_transport(self) -> None:
        self.play_button = QToolButton()
        self.play_button.setText("▶ Play")
        self.play_button.setToolTip("Play / pause (Space, Ctrl+Space)")
        self.position = QLabel("00:00.000 / 00:00")
        self.position.setMinimumWidth(170)
        self.speed = QLabel("1.00×")
        self.speed.setToolTip("Playback speed: Ctrl+[ slower, Ctrl+] faster, Ctrl+\\ normal")
        self.loop_button = _button("⟲ Loop", checkable=True)
        self.loop_button.setToolTip("Loop the selection, or the whole call (Ctrl+Shift+L)")
        self.solo_group = QButtonGroup(self)
        self.solo_buttons: dict[str, QToolButton] = {}
        for key, text, tip in (
            ("both", "Both", "Hear both parties (Alt+0)"),
            ("agent", "Agent", "Hear the agent only (Alt+1)"),
            ("customer", "Customer", "Hear the customer only (Alt+2)"),
        ):
            button = _button(text, checkable=True)
            button.setToolTip(tip)
            self.solo_group.addButton(button)
            self.solo_buttons[key] = button
        self.solo_buttons["both"].setChecked(True)
        self.audio_note = QLabel()
        self.audio_note.setStyleSheet("color: palette(mid);")

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.verdict_badge)
        header.addSpacing(12)
        header.addWidget(self.lead_notified)
        header.addWidget(self.account_noted)
        header.addWidget(QLabel("Status:"))
        header.addWidget(self.status)
        transport = QHBoxLayout()
        for widget in (self.play_button, self.position, self.speed, self.loop_button):
            transport.addWidget(widget)
        transport.addSpacing(12)
        transport.addWidget(QLabel("Listen:"))
        for button in self.solo_buttons.values():
            transport.addWidget(button)
        transport.addWidget(self.audio_note, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.timeline, 1)
        top_layout.addLayout(transport)
        top_layout.addWidget(self.legend)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.tag_table, "Tags")
        self.side_tabs.addTab(self.suggestion_panel, "Suggestions")
        self.side_tabs.addTab(self.summary, "Review notes")
        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lower_splitter.addWidget(self.transcript)
        self.lower_splitter.addWidget(self.side_tabs)
        self.lower_splitter.addWidget(self.verdict_panel)
        self.lower_splitter.setSizes([420, 430, 430])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.lower_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)


def _button(text: str, *, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setCheckable(checkable)
    return button
