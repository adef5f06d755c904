"""Every command of the review page as a QAction with its shortcuts, grouped the way the menus show them.

One table drives the menus, the tooltips and Help ▸ Keyboard, so the three never disagree (TIMELINE.md keys).
Shortcuts act window-wide, but text fields win: a QLineEdit or QPlainTextEdit claims the keys it types
(Qt's ShortcutOverride), so writing a note never tags, seeks or plays.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Spec = tuple[str, str, tuple[str, ...], str]  # text, handler name on the page, shortcuts, tooltip

GROUPS: dict[str, tuple[Spec, ...]] = {
    "Playback": (
        ("&Play / Pause", "toggle_play", ("Space", "Ctrl+Space"), "Play or pause"),
        ("Play &selection", "play_selection", ("Shift+Space",), "Play the selection or the selected tag"),
        ("Play &around selection", "play_around", ("Ctrl+Shift+Space",), "Play the selection with 0.5 s either side"),
        ("&Loop", "toggle_loop", ("Ctrl+Shift+L",), "Loop the selection (or the whole call)"),
        ("S&lower", "slower", ("Ctrl+[",), "Slower playback (down to 0.5×)"),
        ("&Faster", "faster", ("Ctrl+]",), "Faster playback (up to 2×)"),
        ("&Normal speed", "normal_speed", ("Ctrl+\\",), "Normal speed"),
        ("Hear &both parties", "solo_both", ("Alt+0",), "Both parties"),
        ("Hear the &agent only", "solo_agent", ("Alt+1",), "Solo the agent's channel"),
        ("Hear the &customer only", "solo_customer", ("Alt+2",), "Solo the customer's channel"),
    ),
    "Navigate": (
        ("Back 0.1 s", "back_small", ("Left",), ""),
        ("Forward 0.1 s", "forward_small", ("Right",), ""),
        ("Back 1 s", "back_medium", ("Shift+Left",), ""),
        ("Forward 1 s", "forward_medium", ("Shift+Right",), ""),
        ("Back 5 s", "back_large", ("Ctrl+Left",), ""),
        ("Forward 5 s", "forward_large", ("Ctrl+Right",), ""),
        ("Start of call", "go_start", ("Home",), ""),
        ("End of call", "go_end", ("End",), ""),
        ("Previous tag on this lane", "previous_tag", ("Alt+Left",), ""),
        ("Next tag on this lane", "next_tag", ("Alt+Right",), ""),
        ("Previous lane", "previous_lane", ("Ctrl+Up",), ""),
        ("Next lane", "next_lane", ("Ctrl+Down",), ""),
        ("&Go to time…", "go_to_time", ("Ctrl+G",), "Jump to ss, mm:ss or hh:mm:ss.mmm"),
        ("&Find in transcript…", "find_in_transcript", ("Ctrl+F",), "Find words in the transcript"),
        ("Find &next", "find_next", ("F3",), ""),
    ),
    "View": (
        ("Zoom &in", "zoom_in", ("Ctrl+=", "Ctrl++"), ""),
        ("Zoom &out", "zoom_out", ("Ctrl+-",), ""),
        ("&Fit call", "zoom_fit", ("Ctrl+0",), ""),
        ("Zoom to &selection", "zoom_to_selection", ("Ctrl+E",), ""),
    ),
    "Tag": (
        ("Selection &start at playhead", "mark_in", ("I",), "Works while playing"),
        ("Selection &end at playhead", "mark_out", ("O",), "Works while playing"),
        *(
            (f"Tag with key {n}", f"tag_key_{n}", (str(n),), "Tag the selection (or re-kind the selected tag)")
            for n in range(1, 10)
        ),
        (
            "&Create tag with the armed kind",
            "create_armed",
            ("Return", "Enter"),
            "The kind used last; accepts the current suggestion when there is one",
        ),
        ("&Hang-up at playhead", "point_event", ("M",), "A point event on the current lane"),
        ("Nudge start earlier", "nudge_start_earlier", ("Ctrl+J",), "Move the selected tag's start by 0.1 s"),
        ("Nudge start later", "nudge_start_later", ("Ctrl+U",), ""),
        ("Nudge end earlier", "nudge_end_earlier", ("Ctrl+Shift+J",), ""),
        ("Nudge end later", "nudge_end_later", ("Ctrl+Shift+U",), ""),
        ("Edit &note", "edit_note", ("F2",), "Edit the selected tag's note"),
        ("&Delete tag", "delete_tag", ("Delete",), ""),
    ),
    "Suggestions": (
        ("&Accept suggestion", "accept_suggestion", ("A",), "Make the current suggestion a tag (Enter too)"),
        ("&Reject suggestion", "reject_suggestion", ("R", "Backspace"), "Turn the current suggestion down"),
        ("&Next suggestion", "next_suggestion", ("N",), "Jump to the next open suggestion"),
        ("&Previous suggestion", "previous_suggestion", ("Shift+N",), "Jump to the previous open suggestion"),
        ("Accept all of this &kind", "accept_kind", (), "Accept every open suggestion of the current one's kind"),
        ("Run the &detectors again", "run_detectors", (), "Go over this call again for new suggestions"),
    ),
    "Review": (
        ("Mark review &in progress", "status_in_progress", (), ""),
        ("Mark review &done", "status_done", ("Ctrl+Shift+D",), ""),
        ("Write the review &summary", "edit_summary", ("Ctrl+Shift+N",), ""),
    ),
}


def build_actions(page: QObject, parent: QObject) -> dict[str, list[QAction]]:
    """QActions for every spec, triggering the page's handler of that name."""
    groups: dict[str, list[QAction]] = {}
    for group, specs in GROUPS.items():
        groups[group] = [_action(parent, spec, getattr(page, spec[1])) for spec in specs]
    return groups


def _action(parent: QObject, spec: Spec, handler: Callable[[], object]) -> QAction:
    text, name, keys, tip = spec
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(k) for k in keys])
    shown = " / ".join(keys)
    tooltip = tip or text.replace("&", "")
    action.setToolTip(f"{tooltip} ({shown})" if shown else tooltip)
    action.triggered.connect(lambda _checked=False: handler())
    return action
