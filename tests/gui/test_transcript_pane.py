"""The transcript pane: model, click to seek, following playback, pausing while the user scrolls, find."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.domain.parties import Party
from reviewer.domain.transcript import Utterance
from reviewer.ui.transcript_pane import PARTY, TEXT, TIME, TranscriptModel, TranscriptPane

LINES = (
    "Thank you for calling, this is Anna, how can I help?",
    "Hi, my card was blocked this morning and I cannot pay for anything at all, which is really frustrating.",
    "I am sorry to hear that. Can you confirm your date of birth?",
    "Sure, it is the fourth of May. Why was the CARD blocked?",
)


def _conversation(count: int = 120) -> list[Utterance]:
    """Alternating turns of 3 s each with a 0.5 s gap; 'card' appears in rows 1, 3, 5, ..."""
    return [
        Utterance(
            party=Party.AGENT if row % 2 == 0 else Party.CUSTOMER,
            speaker="A" if row % 2 == 0 else "B",
            start_ms=row * 3500,
            end_ms=row * 3500 + 3000,
            text=LINES[row % len(LINES)],
        )
        for row in range(count)
    ]


@pytest.fixture
def pane(qtbot: QtBot) -> Iterator[TranscriptPane]:
    """A shown pane with a 120-utterance conversation, sized so that most rows are out of view."""
    made = TranscriptPane()
    qtbot.addWidget(made)
    made.resize(520, 300)
    made.set_utterances(_conversation())
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.close()


def _row_visible(pane: TranscriptPane, row: int) -> bool:
    rect = pane.view.visualRect(pane.model.index(row, TEXT))
    return pane.view.viewport().rect().intersects(rect)


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = TranscriptModel()
    model.set_utterances(list(reversed(_conversation(5))))
    model.set_current_row(2)
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.columnCount() == 3
    assert model.data(model.index(0, TIME)) == "00:00"
    assert model.data(model.index(3, TIME)) == "00:10"  # sorted by start although given in reverse
    assert model.data(model.index(0, PARTY)) == "Agent" and model.data(model.index(1, PARTY)) == "Customer"
    assert model.data(model.index(1, TEXT)) == LINES[1]
    assert model.data(model.index(2, TEXT), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, TEXT), Qt.ItemDataRole.BackgroundRole) is None


def test_rows_fit_their_wrapped_text(qtbot: QtBot, pane: TranscriptPane) -> None:
    short, long = pane.view.rowHeight(0), pane.view.rowHeight(1)
    assert long > short  # row 1 wraps onto more lines than row 0
    pane.resize(1400, 300)  # a wider text column: row 1 re-wraps onto fewer lines
    qtbot.waitUntil(lambda: pane.view.rowHeight(1) < long, timeout=2000)


def test_clicking_a_row_requests_a_seek_to_its_start(qtbot: QtBot, pane: TranscriptPane) -> None:
    rect = pane.view.visualRect(pane.model.index(2, TEXT))
    with qtbot.waitSignal(pane.seek_requested, timeout=2000) as blocker:
        qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [7000]


def test_position_highlights_and_follows(pane: TranscriptPane) -> None:
    pane.set_position(100)
    assert pane.current_row() == 0
    pane.set_position(3200)  # in the gap after row 0: the last utterance started
    assert pane.current_row() == 0
    assert not _row_visible(pane, 90)
    pane.set_position(90 * 3500 + 1000)
    assert pane.current_row() == 90
    assert pane.model.data(pane.model.index(90, TEXT), Qt.ItemDataRole.BackgroundRole) is not None
    assert pane.model.data(pane.model.index(0, TEXT), Qt.ItemDataRole.BackgroundRole) is None
    assert _row_visible(pane, 90)
    pane.set_position(-5)
    assert pane.current_row() is None


def test_the_utterance_still_running_wins_over_a_short_interjection() -> None:
    pane = TranscriptPane()
    long = Utterance(Party.AGENT, "A", 0, 10_000, "A long explanation")
    short = Utterance(Party.CUSTOMER, "B", 2000, 2500, "mm-hm")
    pane.set_utterances([long, short])
    pane.set_position(2200)
    assert pane.current_row() == 1
    pane.set_position(6000)
    assert pane.current_row() == 0
    pane.close()


def _wheel_up(widget: QWidget) -> None:
    centre = widget.rect().center()
    QApplication.sendEvent(
        widget,
        QWheelEvent(
            QPointF(centre), QPointF(widget.mapToGlobal(centre)), QPoint(), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
        ),
    )  # fmt: skip


def test_user_scrolling_pauses_following(pane: TranscriptPane) -> None:
    bar = pane.view.verticalScrollBar()
    pane.set_position(60 * 3500)
    assert _row_visible(pane, 60)
    followed = bar.value()
    _wheel_up(pane.view.viewport())
    scrolled = bar.value()
    assert scrolled < followed
    pane.set_position(100 * 3500)
    assert pane.current_row() == 100  # still highlighted ...
    assert bar.value() == scrolled and not _row_visible(pane, 100)  # ... but the view stays where the user put it
    pane.auto_scroll_pause_ms = 0  # as if the pause had run out
    pane.set_position(100 * 3500 + 10)
    assert _row_visible(pane, 100)


def test_find_counts_selects_and_wraps(qtbot: QtBot, pane: TranscriptPane) -> None:
    small = _conversation(8)  # 'card' in rows 1, 3, 5, 7 (LINES[1] and LINES[3])
    pane.set_utterances(small)
    assert pane.find_bar.isHidden()
    pane.find()
    assert pane.find_bar.isVisible()
    qtbot.keyClicks(pane.find_edit, "CaRd")
    assert pane.find_label.text() == "1 of 4"
    assert pane.view.selectionModel().selectedRows()[0].row() == 1
    seen = []
    for _ in range(4):
        pane.find_next()
        seen.append((pane.view.selectionModel().selectedRows()[0].row(), pane.find_label.text()))
    assert seen == [(3, "2 of 4"), (5, "3 of 4"), (7, "4 of 4"), (1, "1 of 4")]
    pane.find_previous()
    assert pane.find_label.text() == "4 of 4"
    pane.find_edit.setText("zebra")
    pane.find_next()
    assert pane.find_label.text() == "No matches"


def test_escape_hides_the_find_bar_and_focus_pauses_following(qtbot: QtBot, pane: TranscriptPane) -> None:
    pane.activateWindow()
    pane.find()
    qtbot.waitUntil(pane.find_edit.hasFocus, timeout=2000)
    bar = pane.view.verticalScrollBar()
    before = bar.value()
    pane.set_position(110 * 3500)
    assert bar.value() == before and pane.current_row() == 110
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Escape)
    assert pane.find_bar.isHidden()
    pane.set_position(110 * 3500 + 10)
    assert _row_visible(pane, 110)


def test_two_thousand_utterances_open_with_sized_rows(qtbot: QtBot) -> None:
    pane = TranscriptPane()
    qtbot.addWidget(pane)
    pane.resize(600, 400)
    pane.show()
    pane.set_utterances(_conversation(2000))
    assert pane.model.rowCount() == 2000
    assert pane.view.rowHeight(1997) > pane.view.rowHeight(1996)  # the long line wraps, the short one does not
    pane.set_position(1999 * 3500)
    assert _row_visible(pane, 1999)
    assert pane.view.indexAt(QPoint(5, 5)).row() > 1900
    pane.close()


def test_party_colours_follow_a_dark_palette(qtbot: QtBot) -> None:
    pane = TranscriptPane()
    qtbot.addWidget(pane)
    pane.set_utterances(_conversation(2))

    def agent_lightness() -> int:
        return int(pane.model.data(pane.model.index(0, PARTY), Qt.ItemDataRole.ForegroundRole).color().lightness())

    on_light = agent_lightness()
    dark = QPalette(pane.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    pane.setPalette(dark)
    assert agent_lightness() > on_light
    pane.close()
