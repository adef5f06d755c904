"""The call document `reviewer check --file` reads: just a length and tags, no recording, no database.

    {"duration_ms": 44700,
     "tags": [{"kind": "profanity", "actor": "customer", "start_ms": 14223, "end_ms": 16838, "note": ""}, ...]}

Call-level facts are tags with actor `call` (lead_notified, account_noted); a hang-up nobody can attribute has
actor `unknown`. The `reviewer show --json` document of a library call is also accepted (it has both keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.domain.parties import Actor
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.formats.call_json import tag_from_fields
from reviewer.formats.json_fields import JsonFields, join


@dataclass(frozen=True, slots=True)
class CheckDocument:
    """A call as the policy checker needs it; tag ids are their index in the file's `tags` list."""

    path: str
    duration_ms: int
    tags: tuple[Tag, ...]


def read_check_document(text: str, path: str) -> CheckDocument:
    """The document, or InputError naming the file, the place (e.g. tags[3].actor) and the reason."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    duration = fields.millis(fields.get(root, "duration_ms", ""), "duration_ms")
    items = fields.array(fields.get(root, "tags", ""), "tags")
    tags = tuple(_fast_tag(item, i) or _tag(fields, item, join("tags", i), i) for i, item in enumerate(items))
    for index, tag in enumerate(tags):
        if tag.end_ms > duration:
            detail = f"the tag ends at {tag.end_ms} ms, after the call's duration_ms {duration}"
            raise InputError.of(ProblemKind.BEYOND_RECORDING, path, join(join("tags", index), "end_ms"), detail)
    return CheckDocument(path, duration, tags)


_ACTORS = {a.value: a for a in Actor}


def _fast_tag(value: object, index: int) -> Tag | None:
    """A well-formed tag without building error places; None sends anything unusual to `_tag`, which says why.

    Checking thousands of documents is mostly reading them: this path halves the time (benchmarks/policy_speed.py).
    """
    if type(value) is not dict:
        return None
    kind, actor, start, end = value.get("kind"), value.get("actor"), value.get("start_ms"), value.get("end_ms")
    note = value.get("note")
    note = "" if note is None else note
    if not (isinstance(kind, str) and kind and isinstance(actor, str) and isinstance(note, str)):
        return None
    # type() rather than isinstance(): true/false are ints to isinstance, and the slow path refuses them.
    if actor not in _ACTORS or type(start) is not int or type(end) is not int or not 0 <= start <= end:
        return None
    return Tag(kind, _ACTORS[actor], start, end, note, source=TagSource.IMPORTED, id=index)


def _tag(fields: JsonFields, value: object, where: str, index: int) -> Tag:
    item = fields.obj(value, where)
    actor = fields.text(fields.get(item, "actor", where), join(where, "actor"))
    if actor not in {a.value for a in Actor}:
        choices = ", ".join(a.value for a in Actor)
        raise InputError.of(
            ProblemKind.BAD_VALUE, fields.path, join(where, "actor"), f"unknown actor {actor!r} (one of: {choices})"
        )
    note = item.get("note")
    tag = tag_from_fields(
        fields.text(fields.get(item, "kind", where), join(where, "kind")),
        actor,
        (
            fields.millis(fields.get(item, "start_ms", where), join(where, "start_ms")),
            fields.millis(fields.get(item, "end_ms", where), join(where, "end_ms")),
        ),
        note="" if note is None else fields.text(note, join(where, "note")),
        path=fields.path,
        where=where,
    )
    return Tag(tag.kind, tag.actor, tag.start_ms, tag.end_ms, tag.note, source=tag.source, id=index)
