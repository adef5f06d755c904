"""A recorded call: its people, its audio facts, its transcript and its review state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.domain.verdict import VerdictStatus


class ReviewStatus(StrEnum):
    """Where a supervisor is with a call."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Team:
    """A team of agents led by one team lead."""

    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Agent:
    """A contact-centre agent."""

    name: str
    team: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """Facts about the call's recording, as decoded."""

    path: str  # the recording, or the file of channel 0 when each party was recorded to its own mono file
    sha256: str
    duration_ms: int
    sample_rate: int
    channels: int
    layout: ChannelLayout  # which channel is the agent's
    second_path: str | None = None  # the file of channel 1 when the parties were recorded separately


@dataclass(frozen=True, slots=True)
class TranscriptInfo:
    """Where the transcript came from."""

    path: str
    format: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Call:
    """A call in the library, with everything a review needs."""

    external_id: str
    audio: AudioInfo
    started_at: datetime | None = None
    agent: str | None = None
    team: str | None = None
    transcript: TranscriptInfo | None = None
    disconnect_reason: str | None = None
    review_status: ReviewStatus = ReviewStatus.TODO
    summary: str = ""
    parties_swapped: bool = False
    utterances: tuple[Utterance, ...] = ()
    tags: tuple[Tag, ...] = ()
    id: int | None = None
    imported_at: datetime | None = field(default=None, compare=False)

    @property
    def duration_ms(self) -> int:
        """Length of the recording."""
        return self.audio.duration_ms

    def swapped(self) -> Call:
        """The call with agent and customer exchanged: transcript, tags and channel layout."""
        return replace(
            self,
            audio=replace(self.audio, layout=self.audio.layout.swapped()),
            utterances=tuple(replace(u, party=u.party.other) for u in self.utterances),
            tags=tuple(
                t if t.actor.party is None else replace(t, actor=Actor.of(t.actor.party.other)) for t in self.tags
            ),
            parties_swapped=not self.parties_swapped,
        )


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One row of the call library: a call without its transcript."""

    id: int
    external_id: str
    agent: str | None
    team: str | None
    started_at: datetime | None
    duration_ms: int
    channels: int
    utterances: int
    tags: int
    audio_sha256: str
    review_status: ReviewStatus
    tag_kinds: tuple[tuple[str, int], ...] = ()  # (kind, count), most frequent first
    verdict: VerdictStatus | None = None  # None: never checked
    verdict_stale: bool = False  # the tags (or, once services compare it, the team's policy) changed since
    verdict_policy_sha256: str = ""
