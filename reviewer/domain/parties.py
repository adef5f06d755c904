"""Who takes part in a call and who a tag is about."""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    """One side of a two-party call."""

    AGENT = "agent"
    CUSTOMER = "customer"

    @property
    def other(self) -> Party:
        """The opposite party."""
        return Party.CUSTOMER if self is Party.AGENT else Party.AGENT


class Actor(StrEnum):
    """Who a tag is attributed to: a party, or the call itself for call-level facts and line drops."""

    AGENT = "agent"
    CUSTOMER = "customer"
    CALL = "call"
    # Who ended a call when nobody can tell (the recording just stops): the policy checker cannot decide the
    # rules that depend on the side, so the verdict is `incomplete` rather than a guess.
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, party: Party) -> Actor:
        """The actor that stands for a party."""
        return cls(party.value)

    @property
    def party(self) -> Party | None:
        """The party this actor is, or None for the call."""
        return None if self in (Actor.CALL, Actor.UNKNOWN) else Party(self.value)

    @property
    def lane(self) -> Actor:
        """The timeline lane a tag by this actor sits in: its party's, else the call events lane."""
        return Actor.CALL if self is Actor.UNKNOWN else self


class ChannelLayout(StrEnum):
    """How the parties sit in the recording's channels."""

    AGENT_LEFT = "agent-left"
    AGENT_RIGHT = "agent-right"
    MONO = "mono"

    def channel_of(self, party: Party) -> int | None:
        """The channel index that carries a party alone, or None when the parties share one channel."""
        if self is ChannelLayout.MONO:
            return None
        agent_channel = 1 if self is ChannelLayout.AGENT_RIGHT else 0
        return agent_channel if party is Party.AGENT else 1 - agent_channel

    def party_of_channel(self, channel: int) -> Party | None:
        """The party a channel index carries, or None for a mixed (mono) recording."""
        if self is ChannelLayout.MONO:
            return None
        return Party.AGENT if self.channel_of(Party.AGENT) == channel else Party.CUSTOMER

    def swapped(self) -> ChannelLayout:
        """The layout after the parties are exchanged (mono stays mono)."""
        swaps = {
            ChannelLayout.AGENT_LEFT: ChannelLayout.AGENT_RIGHT,
            ChannelLayout.AGENT_RIGHT: ChannelLayout.AGENT_LEFT,
        }
        return swaps.get(self, self)
