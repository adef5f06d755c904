"""AWS Transcribe Call Analytics and Amazon Connect Contact Lens JSON: turns with roles, plus vendor events.

Call Analytics names the role on each turn (`ParticipantRole`); Contact Lens names a `ParticipantId` that
`Participants[]` maps to a role. Interruptions and non-talk time become imported tags. Masked ("***") and
redacted ("[PII]") words keep their text and carry a WordMark, as in plain Transcribe output.
"""

from __future__ import annotations

from dataclasses import replace

from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Word
from reviewer.formats.aws_transcribe import word_mark
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object
from reviewer.formats.times import format_ms

NAME = "aws_analytics"

_AUTHOR = "aws"
_INTERRUPTIONS = "ConversationCharacteristics.Interruptions.InterruptionsByInterrupter"
_NON_TALK = "ConversationCharacteristics.NonTalkTime.Instances"


def sniff(text: str) -> bool:
    """A JSON object with a `Transcript` array of participant turns, or with `ConversationCharacteristics`."""
    root = sniff_object(text)
    if root is None:
        return False
    turns = root.get("Transcript")
    if isinstance(turns, list) and turns:
        return isinstance(turns[0], dict) and ("ParticipantRole" in turns[0] or "ParticipantId" in turns[0])
    return isinstance(root.get("ConversationCharacteristics"), dict)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in file order with their roles; interruptions and non-talk instances as events."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    roles = _participants(fields, root)
    turns = fields.array(root.get("Transcript", []), "Transcript")
    return RawTranscript(
        format=NAME,
        encoding=encoding,
        turns=tuple(_turn(fields, roles, value, join("Transcript", i)) for i, value in enumerate(turns)),
        events=_interruptions(fields, root, roles) + _non_talk(fields, root),
        disconnect_reason=_disconnect_reason(root),
    )


def _party(name: str) -> Party | None:
    try:
        return Party(name.lower())
    except ValueError:
        return None


def _participants(fields: JsonFields, root: JsonObject) -> dict[str, Party]:
    """Contact Lens `Participants[]`: participant id -> role."""
    roles: dict[str, Party] = {}
    for i, value in enumerate(fields.array(root.get("Participants", []), "Participants")):
        where = join("Participants", i)
        participant = fields.obj(value, where)
        role = _party(fields.text(participant.get("ParticipantRole", ""), join(where, "ParticipantRole")))
        # Call Analytics lists roles without ids (its turns carry the role itself); only Contact Lens needs the map.
        if role is not None and "ParticipantId" in participant:
            roles[fields.text(participant["ParticipantId"], join(where, "ParticipantId"))] = role
    return roles


def _turn(fields: JsonFields, roles: dict[str, Party], value: object, where: str) -> Turn:
    turn = fields.obj(value, where)
    key = "ParticipantRole" if "ParticipantRole" in turn else "ParticipantId"
    speaker = fields.text(fields.get(turn, key, where), join(where, key))
    start, end = _span(fields, turn, where)
    return Turn(
        speaker=speaker,
        start_ms=start,
        end_ms=end,
        text=fields.text(turn.get("Content", ""), join(where, "Content")).strip(),
        words=_words(fields, turn, where),
        role=roles.get(speaker) or _party(speaker),
        where=where,
    )


def _words(fields: JsonFields, turn: JsonObject, where: str) -> tuple[Word, ...]:
    words: list[Word] = []
    for i, value in enumerate(fields.array(turn.get("Items", []), join(where, "Items"))):
        item_where = join(join(where, "Items"), i)
        item = fields.obj(value, item_where)
        content = fields.text(item.get("Content", ""), join(item_where, "Content"))
        if str(item.get("Type", "")).lower() == "punctuation" or "BeginOffsetMillis" not in item:
            if words:
                words[-1] = replace(words[-1], text=words[-1].text + content)
            continue
        start, end = _span(fields, item, item_where)
        words.append(Word(content, start, end, optional_number(item.get("Confidence")), word_mark(content)))
    return tuple(words)


def _span(fields: JsonFields, item: JsonObject, where: str) -> tuple[int, int]:
    start = fields.millis(fields.get(item, "BeginOffsetMillis", where), join(where, "BeginOffsetMillis"))
    if item.get("EndOffsetMillis") is None and item.get("DurationMillis") is not None:
        return start, start + fields.millis(item["DurationMillis"], join(where, "DurationMillis"))
    return start, fields.millis(fields.get(item, "EndOffsetMillis", where), join(where, "EndOffsetMillis"))


def _section(fields: JsonFields, root: JsonObject, dotted: str) -> object:
    """The value at a dotted path of objects, or None when any step is absent."""
    node: object = root
    where = ""
    for key in dotted.split("."):
        if node is None:
            return None
        node = fields.obj(node, where).get(key)
        where = join(where, key)
    return node


def _interruptions(fields: JsonFields, root: JsonObject, roles: dict[str, Party]) -> tuple[Tag, ...]:
    by_interrupter = _section(fields, root, _INTERRUPTIONS)
    if by_interrupter is None:
        return ()
    tags: list[Tag] = []
    for who, spans in fields.obj(by_interrupter, _INTERRUPTIONS).items():
        party = roles.get(who) or _party(who)
        if party is None:
            continue  # an interrupter that is neither agent nor customer has no actor in our vocabulary
        where = join(_INTERRUPTIONS, who)
        for i, value in enumerate(fields.array(spans, where)):
            tags.append(_event(fields, "interruption", Actor.of(party), value, join(where, i)))
    return tuple(tags)


def _non_talk(fields: JsonFields, root: JsonObject) -> tuple[Tag, ...]:
    instances = _section(fields, root, _NON_TALK)
    if instances is None:
        return ()
    values = enumerate(fields.array(instances, _NON_TALK))
    return tuple(_event(fields, "non_talk", Actor.CALL, value, join(_NON_TALK, i)) for i, value in values)


def _event(fields: JsonFields, kind: str, actor: Actor, value: object, where: str) -> Tag:
    start, end = _span(fields, fields.obj(value, where), where)
    # A Tag cannot hold a bad span, so refuse here where the JSON path is still known.
    if start < 0:
        detail = f"negative time ({format_ms(start)})"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, where, detail)
    if end < start:
        detail = f"ends {format_ms(end)} before it starts {format_ms(start)}"
        raise InputError.of(ProblemKind.END_BEFORE_START, fields.path, where, detail)
    return Tag(kind=kind, actor=actor, start_ms=start, end_ms=end, author=_AUTHOR, source=TagSource.IMPORTED)


def _disconnect_reason(root: JsonObject) -> str | None:
    """`DisconnectReason` at the top level or one level down (a contact record's metadata object)."""
    candidates = [root, *(value for value in root.values() if isinstance(value, dict))]
    for candidate in candidates:
        reason = candidate.get("DisconnectReason")
        if isinstance(reason, str) and reason:
            return reason
    return None
