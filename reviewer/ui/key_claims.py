"""Let the focused editor or list keep the keys it needs, although the review page binds them as shortcuts.

Qt asks the focus widget first (a ShortcutOverride event); accepting it delivers the key to the widget instead of
firing the shortcut. Text fields already claim what they type; this adds Return, arrows and the like for combo
boxes, tables and lists inside the page, so Enter commits a cell edit instead of creating a tag.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

K = Qt.Key
_NAVIGATION = {K.Key_Up, K.Key_Down, K.Key_Left, K.Key_Right, K.Key_Home, K.Key_End, K.Key_PageUp, K.Key_PageDown}
_ENTER = {K.Key_Return, K.Key_Enter}
_TEXT = _NAVIGATION | _ENTER | {K.Key_Delete, K.Key_Backspace, K.Key_Space}
_CLAIMS: tuple[tuple[type[QWidget], frozenset[int]], ...] = (
    (QLineEdit, frozenset(_TEXT)),
    (QPlainTextEdit, frozenset(_TEXT)),
    (QTextEdit, frozenset(_TEXT)),
    (QAbstractSpinBox, frozenset(_TEXT)),
    (QComboBox, frozenset(_NAVIGATION | _ENTER | {K.Key_Space})),
    (QAbstractItemView, frozenset(_NAVIGATION | _ENTER | {K.Key_Tab, K.Key_Backtab})),
)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier, Qt.KeyboardModifier.ShiftModifier)


def claimed_keys(widget: QWidget) -> frozenset[int]:
    """The unmodified keys this kind of widget keeps for itself."""
    for kind, keys in _CLAIMS:
        if isinstance(widget, kind):
            return keys
    return frozenset()


class KeyClaims(QObject):
    """An event filter, installed on focused widgets of a page, that keeps their keys from the page's shortcuts."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget):
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None and self._claims(watched, key_event):
                event.accept()
        return False

    @staticmethod
    def _claims(widget: QWidget, event: QKeyEvent) -> bool:
        modifiers = event.modifiers()
        plain = modifiers in _PLAIN or modifiers == Qt.KeyboardModifier.NoModifier
        shift_move = modifiers == Qt.KeyboardModifier.ShiftModifier and event.key() in _NAVIGATION
        return (plain or shift_move) and event.key() in claimed_keys(widget)

    def watch(self, widget: QWidget) -> None:
        """Start filtering a widget (once)."""
        if claimed_keys(widget) and not widget.property("_keyClaims"):
            widget.setProperty("_keyClaims", True)
            widget.installEventFilter(self)
