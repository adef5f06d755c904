"""What the review page's handler groups share: its signals, services and parts (typed once, for all of them)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from reviewer.domain.call import Call
from reviewer.domain.suggestions import Suggestion
from reviewer.domain.tags import TagKind
from reviewer.services.context import Services
from reviewer.ui.player import Player
from reviewer.ui.review_view import ReviewView
from reviewer.ui.tag_commands import TagEditor


class ReviewBase(ReviewView):
    """The review page's state; the playback and tagging handler classes build on it."""

    message = Signal(str)  # a sentence for the status bar
    call_opened = Signal(int, str)  # id, label: for the recent-calls list and the window title
    call_ready = Signal()  # the call is loaded and its timeline painted (screenshots wait for this)
    loading = Signal(bool)
    verdict_shown = Signal()  # the panel shows the open call's current verdict (or why there is none)

    services: Services
    call: Call | None
    player: Player
    editor: TagEditor
    kinds: tuple[TagKind, ...]  # the open call's vocabulary: the default kinds plus its team policy's

    def seek(self, ms: int) -> None:
        """Move the playhead (implemented by the playback handlers)."""
        raise NotImplementedError

    def play_selection(self) -> None:
        """Play the selection (implemented by the playback handlers)."""
        raise NotImplementedError

    def accept_current_suggestion(self) -> bool:
        """Accept the current suggestion; False when none is current (implemented by the suggestion handlers)."""
        raise NotImplementedError

    def current_suggestion(self) -> Suggestion | None:
        """The suggestion the keys act on (implemented by the suggestion handlers)."""
        raise NotImplementedError

    def _show_legend(self) -> None:
        """Show the number keys of the current lane (implemented by the tagging handlers)."""
        raise NotImplementedError
