"""What every format reader produces before speakers are mapped to parties."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.domain.parties import Party
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Word


@dataclass(frozen=True, slots=True)
class Turn:
    """One stretch of speech as the file states it: a speaker label and, when the file says so, channel or role."""

    speaker: str
    start_ms: int
    end_ms: int
    text: str
    words: tuple[Word, ...] = ()
    channel: int | None = None
    role: Party | None = None  # set when the file itself says AGENT/CUSTOMER (AWS Call Analytics, Contact Lens)
    where: str = ""  # location in the file ("line 12", "segments[3]") for error messages


@dataclass(frozen=True, slots=True)
class RawTranscript:
    """A parsed file: turns in file order plus vendor events (interruptions, non-talk time) as imported tags."""

    format: str
    encoding: str
    turns: tuple[Turn, ...]
    events: tuple[Tag, ...] = ()
    disconnect_reason: str | None = None  # Contact Lens DisconnectReason, when the file carries one


def speaker_label(channel: int | None, speaker: str | None) -> str:
    """The label convention of the vendor readers: the speaker; "ch_<n>" for a channel; "ch_<n>/<speaker>" for both."""
    if channel is None:
        return speaker or ""
    return f"ch_{channel}" if speaker is None else f"ch_{channel}/{speaker}"


def joined_text(words: tuple[Word, ...]) -> str:
    """A turn's text from its words, when the file gives no text of its own."""
    return " ".join(word.text for word in words if word.text)
