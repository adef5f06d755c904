"""ELAN EAF: tiers in as turns and tags, a reviewed call out as speech and tag tiers (written with pympi-ling).

Reading. Every tier gives turns, one per annotation: the speaker is the tier's PARTICIPANT, else the tier id; the
role is set when the tier id names a party ("agent", "customer#2", "Anna (agent)"). Time slots without a
TIME_VALUE are placed evenly between their aligned neighbours in TIME_ORDER, as ELAN shows them. Reference
annotations take the times of the annotation they refer to; several referring to one parent (a symbolic
subdivision) share its span evenly in file order. Tiers named after our tag convention give `events` instead.

pympi-ling 1.71 reads only from a path (it calls `str()` on what it is given), requires attributes ELAN itself
may leave out (VERSION, xsi:noNamespaceSchemaLocation) and raises a bare Exception on bad XML, so the reader walks
the XML with ElementTree from the decoded text; pympi-ling writes.

Writing, the tier convention shared with textgrid.py (EAF and TextGrid forbid overlap within one tier):
- speech: one tier per party ("agent", "customer") with PARTICIPANT = the speaker; a further speaker of a party,
  or overlapping speech of one speaker, goes to "agent#2", "agent#3"...;
- tags: one tier per actor and kind ("customer:profanity", "call:lead_notified"); a tag that overlaps another of
  the same actor and kind goes to "customer:profanity#2" and so on;
- a tag's annotation value is its note, preceded by marks when needed: "@point" for a point tag (written 1 ms
  long, read back with end == start), "@imported" / "@suggested" / "@accepted" for a source other than manual
  ("@manual" where a format cannot hold an empty value). A note that starts with "@" is written as "\\@...".
A zero-length utterance is written 1 ms long (EAF has no empty annotations). An unnamed speaker is read back as
its tier id ("agent"); word timings are not exported.
"""

from __future__ import annotations

import mimetypes
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar
from xml.etree import ElementTree

from pympi import Elan

from reviewer.domain.call import Call
from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import KINDS_BY_NAME, Tag, TagError, TagSource
from reviewer.domain.transcript import Utterance
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.times import parse_number

NAME = "eaf"

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------------------------
# The tier convention, shared with textgrid.py.

_TAG_TIER = re.compile(r"(agent|customer|call|unknown):([^\s:#]+)(?:#\d+)?")
_LANE = re.compile(r"#\d+$")
_AT_START = re.compile(r"\\*@")
_NAMED_PARTY = re.compile(r"(?:(.*) )?\((agent|customer)\)", re.IGNORECASE | re.DOTALL)
_PARTIES = frozenset(party.value for party in Party)
_SOURCES = frozenset(source.value for source in TagSource)
_KIND_ORDER = {name: n for n, name in enumerate(KINDS_BY_NAME)}
_ACTOR_ORDER = {actor: n for n, actor in enumerate(Actor)}


def tag_tier_name(actor: Actor, kind: str, lane: int) -> str:
    """ "customer:profanity" for the first tier of an actor and kind, "customer:profanity#2" for the next."""
    return f"{actor.value}:{kind}" + (f"#{lane + 1}" if lane else "")


def parse_tag_tier_name(name: str) -> tuple[Actor, str] | None:
    """The actor and kind a tier named after the tag convention holds, or None for any other tier."""
    match = _TAG_TIER.fullmatch(name)
    return (Actor(match.group(1)), match.group(2)) if match else None


def speech_tier_label(name: str) -> tuple[str, Party | None]:
    """The speaker and party a speech tier's name states: "agent#2" and "Anna (agent)" name a party."""
    base = _LANE.sub("", name)
    if base.strip().lower() in _PARTIES:
        return base.strip(), Party(base.strip().lower())
    match = _NAMED_PARTY.fullmatch(base)
    if match:
        return match.group(1) or "", Party(match.group(2).lower())
    return name, None


def escape_at(text: str) -> str:
    """Text that cannot be taken for marks: a leading "@" (after any backslashes) gets one more backslash."""
    return "\\" + text if _AT_START.match(text) else text


def unescape_at(text: str) -> str:
    """The inverse of `escape_at`: "\\@note" is "@note", "\\\\@note" is "\\@note"."""
    return text[1:] if text.startswith("\\") and _AT_START.match(text) else text


def encode_tag_value(tag: Tag, *, mark_point: bool, never_empty: bool) -> str:
    """The annotation value of a tag: marks ("@point", "@imported") then the note."""
    marks = ["@point"] if mark_point and tag.is_point else []
    if tag.source is not TagSource.MANUAL:
        marks.append(f"@{tag.source.value}")
    note = escape_at(tag.note)
    if never_empty and not marks and not note:
        marks.append(f"@{TagSource.MANUAL.value}")
    return " ".join([*marks, note] if note else marks)


@dataclass(frozen=True, slots=True)
class TagValue:
    """What a tag annotation's value says: the note, the source and whether the tag is a point."""

    note: str
    source: TagSource = TagSource.MANUAL
    point: bool = False


def decode_tag_value(value: str) -> TagValue:
    """Marks at the start of the value, then the note; an unknown "@word" is the start of the note."""
    source, point, rest = TagSource.MANUAL, False, value
    while rest.startswith("@"):
        token, _, remainder = rest.partition(" ")
        name = token[1:]
        if name == "point":
            point = True
        elif name in _SOURCES:
            source = TagSource(name)
        else:
            break
        rest = remainder
    return TagValue(unescape_at(rest), source, point)


def make_tag(actor: Actor, kind: str, span: tuple[int, int], value: str, *, path: str, where: str) -> Tag:
    """A tag read from a tag tier; a span the domain refuses becomes the file's error."""
    decoded = decode_tag_value(value)
    start, end = span
    try:
        return Tag(kind, actor, start, start if decoded.point else end, decoded.note, source=decoded.source)
    except TagError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, str(error)) from error


def written_span(start_ms: int, end_ms: int) -> tuple[int, int]:
    """The span as a tier holds it: at least 1 ms, because neither format has empty intervals."""
    return start_ms, max(end_ms, start_ms + 1)


def _tag_span(tag: Tag) -> tuple[int, int]:
    return written_span(tag.start_ms, tag.end_ms)


def _lanes(items: Iterable[T], span: Callable[[T], tuple[int, int]]) -> list[list[T]]:
    """Items in time order spread over as few lanes as needed so that no lane holds an overlap."""
    lanes: list[list[T]] = []
    ends: list[int] = []
    for item in sorted(items, key=span):
        start, end = span(item)
        free = next((n for n, last in enumerate(ends) if last <= start), len(lanes))
        if free == len(lanes):
            lanes.append([])
            ends.append(end)
        lanes[free].append(item)
        ends[free] = end
    return lanes


@dataclass(frozen=True, slots=True)
class SpeechTier:
    """Utterances of one speaker of one party that do not overlap: one speech tier of an export."""

    party: Party
    speaker: str
    lane: int  # 0 for the speaker's first tier; further ones hold the speaker's overlapping speech
    utterances: tuple[Utterance, ...]


def speech_tiers(utterances: Sequence[Utterance]) -> list[SpeechTier]:
    """The speech tiers of a call: the agent's first, each speaker in order of first speech."""
    speakers = dict.fromkeys((u.party, u.speaker) for u in sorted(utterances, key=lambda u: u.start_ms))
    tiers: list[SpeechTier] = []
    for party, speaker in sorted(speakers, key=lambda key: key[0] is not Party.AGENT):
        own = [u for u in utterances if u.party is party and u.speaker == speaker]
        lanes = _lanes(own, lambda u: written_span(u.start_ms, u.end_ms))
        tiers += [SpeechTier(party, speaker, n, tuple(lane)) for n, lane in enumerate(lanes)]
    return tiers


@dataclass(frozen=True, slots=True)
class TagTier:
    """Tags of one actor and kind that do not overlap: one tag tier of an export."""

    actor: Actor
    kind: str
    lane: int
    points: bool  # a tier of point tags only (TextGrid keeps points in point tiers)
    tags: tuple[Tag, ...]

    @property
    def name(self) -> str:
        """The tier's name under the convention."""
        return tag_tier_name(self.actor, self.kind, self.lane)


def tag_tiers(tags: Sequence[Tag], *, separate_points: bool) -> list[TagTier]:
    """The tag tiers of a call by actor, then kind in vocabulary order; points apart when the format wants."""
    keys = sorted(
        {(t.actor, t.kind) for t in tags},
        key=lambda k: (_ACTOR_ORDER[k[0]], _KIND_ORDER.get(k[1], len(_KIND_ORDER)), k),
    )
    tiers: list[TagTier] = []
    for actor, kind in keys:
        group = [t for t in tags if t.actor is actor and t.kind == kind]
        spans, points = [t for t in group if not t.is_point], [t for t in group if t.is_point]
        parts = [(False, spans), (True, points)] if separate_points else [(False, group)]
        lanes = [(is_point, lane) for is_point, part in parts for lane in _lanes(part, _tag_span)]
        tiers += [TagTier(actor, kind, n, is_point, tuple(lane)) for n, (is_point, lane) in enumerate(lanes)]
    return tiers


# ---------------------------------------------------------------------------------------------------------------
# Reading.


def sniff(text: str) -> bool:
    """An XML document whose root is ELAN's ANNOTATION_DOCUMENT."""
    head = text[:4096].lstrip("\ufeff \t\n")
    return head.startswith("<") and "<ANNOTATION_DOCUMENT" in head


@dataclass(frozen=True, slots=True)
class _Annotation:
    """One annotation as the file states it: its own time slots, or the annotation it refers to."""

    id: str
    tier: str
    value: str
    slots: tuple[str, str] | None
    ref: str | None
    where: str


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns from speech tiers and tags from tag tiers, tiers in file order, annotations in file order."""
    root = _root(text, path)
    slots = _slot_times(root, path)
    tiers = [(tier, _annotations(tier, n, path)) for n, tier in enumerate(root.findall("TIER"), 1)]
    index = {a.id: a for _, found in tiers for a in found}
    spans = _Spans(index, slots, path)
    turns: list[Turn] = []
    events: list[Tag] = []
    for tier, found in tiers:
        tier_id = tier.get("TIER_ID", "")
        tag_tier = parse_tag_tier_name(tier_id)
        if tag_tier is None:
            turns += _turns(tier_id, tier.get("PARTICIPANT", ""), found, spans)
        else:
            events += (make_tag(*tag_tier, spans.of(a.id), a.value, path=path, where=a.where) for a in found)
    return RawTranscript(NAME, encoding, tuple(turns), tuple(events))


def _root(text: str, path: str) -> ElementTree.Element:
    try:
        # Trusted enough: expat (>= 2.4.1 in every supported Python) refuses entity expansion bombs, and
        # ElementTree never fetches external entities. A str ignores the declaration's encoding, as it should.
        root = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError as error:
        line, column = error.position
        raise InputError.of(ProblemKind.BAD_VALUE, path, f"line {line}, column {column + 1}", str(error)) from error
    if root.tag != "ANNOTATION_DOCUMENT":
        raise InputError.of(ProblemKind.BAD_VALUE, path, "line 1", f"root element <{root.tag}>, not an ELAN document")
    return root


def _slot_times(root: ElementTree.Element, path: str) -> dict[str, int]:
    """Every time slot's time in ms; unaligned ones placed evenly between their aligned neighbours."""
    elements = root.findall("TIME_ORDER/TIME_SLOT")
    ids = [slot.get("TIME_SLOT_ID", "") for slot in elements]
    values = [_slot_value(slot, path) for slot in elements]
    return dict(zip(ids, _interpolate(values), strict=True))


def _slot_value(slot: ElementTree.Element, path: str) -> int | None:
    raw = slot.get("TIME_VALUE")
    if raw is None:
        return None
    value = parse_number(raw)
    if value is None or value < 0:
        where = f"time slot {slot.get('TIME_SLOT_ID', '?')}"
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, f"TIME_VALUE {raw!r} is not a time in ms")
    return round(value)


def _interpolate(values: list[int | None]) -> list[int]:
    """Unaligned slots (None) evenly between the aligned ones around them; 0 before the first, the last after."""
    known = [n for n, value in enumerate(values) if value is not None]
    filled: list[int] = []
    for n, value in enumerate(values):
        if value is not None:
            filled.append(value)
            continue
        at = bisect_left(known, n)
        left, left_time = (known[at - 1], values[known[at - 1]] or 0) if at else (-1, 0)
        if at == len(known):
            filled.append(left_time)
            continue
        right = known[at]
        right_time = values[right] or 0
        filled.append(round(left_time + (right_time - left_time) * (n - left) / (right - left)))
    return filled


def _annotations(tier: ElementTree.Element, number: int, path: str) -> list[_Annotation]:
    tier_id = tier.get("TIER_ID")
    if tier_id is None:
        raise InputError.of(ProblemKind.MISSING_FIELD, path, f"tier {number}", "no TIER_ID")
    found: list[_Annotation] = []
    for n, element in enumerate(tier.findall("ANNOTATION/*"), 1):
        annotation = _annotation(element, tier_id, n)
        if annotation is not None:
            found.append(annotation)
    return found


def _annotation(element: ElementTree.Element, tier_id: str, number: int) -> _Annotation | None:
    aid = element.get("ANNOTATION_ID") or f"{tier_id}#{number}"
    where = f"tier {tier_id!r}, annotation {aid}"
    value = element.findtext("ANNOTATION_VALUE") or ""
    if element.tag == "ALIGNABLE_ANNOTATION":
        slots = (element.get("TIME_SLOT_REF1", ""), element.get("TIME_SLOT_REF2", ""))
        return _Annotation(aid, tier_id, value, slots, None, where)
    if element.tag == "REF_ANNOTATION":
        return _Annotation(aid, tier_id, value, None, element.get("ANNOTATION_REF", ""), where)
    return None  # no other annotation kind exists in EAF 2.x/3.0


class _Spans:
    """Times of annotations: their own slots, or a share of the span of the annotation they refer to."""

    def __init__(self, index: dict[str, _Annotation], slots: dict[str, int], path: str) -> None:
        self._index = index
        self._slots = slots
        self._path = path
        self._known: dict[str, tuple[int, int]] = {}
        siblings: dict[tuple[str, str], list[str]] = {}
        for annotation in index.values():
            if annotation.ref is not None:
                siblings.setdefault((annotation.tier, annotation.ref), []).append(annotation.id)
        self._siblings = siblings

    def of(self, aid: str) -> tuple[int, int]:
        """(start, end) in ms; walks the reference chain without recursion, refusing loops and dangling refs."""
        chain: list[_Annotation] = []
        current = aid
        while current not in self._known:
            annotation = self._lookup(current, chain)
            if annotation.slots is not None:
                self._known[current] = self._aligned(annotation, annotation.slots)
                break
            if any(seen.id == current for seen in chain):
                raise InputError.of(ProblemKind.BAD_VALUE, self._path, annotation.where, "reference loop")
            chain.append(annotation)
            current = annotation.ref or ""
        for annotation in reversed(chain):
            self._known[annotation.id] = self._share(annotation)
        return self._known[aid]

    def _lookup(self, aid: str, chain: list[_Annotation]) -> _Annotation:
        annotation = self._index.get(aid)
        if annotation is None:
            where = chain[-1].where if chain else ""
            raise InputError.of(ProblemKind.BAD_VALUE, self._path, where, f"refers to unknown annotation {aid!r}")
        return annotation

    def _aligned(self, annotation: _Annotation, slots: tuple[str, str]) -> tuple[int, int]:
        times = [self._slots.get(slot) for slot in slots]
        if times[0] is None or times[1] is None:
            detail = f"unknown time slot in {slots}"
            raise InputError.of(ProblemKind.BAD_VALUE, self._path, annotation.where, detail)
        return times[0], times[1]

    def _share(self, annotation: _Annotation) -> tuple[int, int]:
        # ELAN shows the children of one parent on a symbolic-subdivision tier side by side in equal parts.
        start, end = self._known[annotation.ref or ""]
        siblings = self._siblings[(annotation.tier, annotation.ref or "")]
        n, count = siblings.index(annotation.id), len(siblings)
        return start + (end - start) * n // count, start + (end - start) * (n + 1) // count


def _turns(tier_id: str, participant: str, annotations: list[_Annotation], spans: _Spans) -> list[Turn]:
    speaker, role = speech_tier_label(tier_id)
    speaker = participant.strip() or speaker
    turns: list[Turn] = []
    for annotation in annotations:
        start, end = spans.of(annotation.id)
        turns.append(Turn(speaker, start, end, annotation.value.strip(), role=role, where=annotation.where))
    return turns


# ---------------------------------------------------------------------------------------------------------------
# Writing.

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 forbids: ElementTree would write them, and no parser (ELAN's, ours) reads them back.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def write(call: Call) -> str:
    """The call as an EAF document (UTF-8 text): speech tiers per party, tag tiers per actor and kind."""
    eaf = Elan.Eaf(author="Call Reviewer")
    eaf.remove_tier("default")  # pympi starts every document with an empty tier of that name
    eaf.header.update({"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    _link_audio(eaf, call.audio.path)
    per_party: dict[Party, int] = {}
    for tier in speech_tiers(call.utterances):
        per_party[tier.party] = per_party.get(tier.party, 0) + 1
        tier_id = tier.party.value + (f"#{per_party[tier.party]}" if per_party[tier.party] > 1 else "")
        eaf.add_tier(tier_id, part=_xml_safe(tier.speaker) or None)
        for u in tier.utterances:
            eaf.add_annotation(tier_id, *written_span(u.start_ms, u.end_ms), value=_xml_safe(u.text))
    for tag_tier in tag_tiers(call.tags, separate_points=False):
        eaf.add_tier(tag_tier.name)
        for tag in tag_tier.tags:
            value = encode_tag_value(tag, mark_point=True, never_empty=False)
            eaf.add_annotation(tag_tier.name, *written_span(tag.start_ms, tag.end_ms), value=_xml_safe(value))
    # ELAN numbers new annotations after this property; pympi leaves it at 0.
    eaf.properties = [("lastUsedAnnotation", eaf.maxaid)]
    return _DECLARATION + str(Elan.to_string(eaf))


def _link_audio(eaf: Elan.Eaf, audio_path: str) -> None:
    """Name the recording so ELAN opens it with the annotations (only an absolute path makes a file URL)."""
    path = PurePath(audio_path)
    if not path.is_absolute():
        return
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    eaf.add_linked_file(path.as_uri(), relpath=f"./{path.name}", mimetype=mime)


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
