"""Export a reviewed call in every exchange format; reading the file back gives the same utterances and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.persistence.tags import TagRepository
from reviewer.services.context import Services
from reviewer.services.exporting import EXPORT_FORMATS, export_call
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call
from reviewer.services.parsing import parse_file
from tests.testkit import VTT_TWO_PARTIES

SUFFIX = {"vtt": ".vtt", "srt": ".srt", "eaf": ".eaf", "textgrid": ".TextGrid", "csv": ".csv", "json": ".json"}


def _reviewed_call(services: Services, stereo_call: Path) -> int:
    stereo_call.with_suffix(".vtt").write_text(VTT_TWO_PARTIES)
    report = ImportReport()
    list(import_calls(services, [ImportRequest(audio=stereo_call, transcript=stereo_call.with_suffix(".vtt"))], report))
    call_id = report.imported[0]
    with services.database.session() as session:
        tags = TagRepository(session)
        tags.add(call_id, Tag("profanity", Actor.CUSTOMER, 2000, 2600, note='said "idiot", twice'))
        tags.add(call_id, Tag("yelling", Actor.CUSTOMER, 2100, 3000))
        tags.add(call_id, Tag("profanity", Actor.CUSTOMER, 2400, 3100, note="overlaps the first"))
        tags.add(call_id, Tag("hang_up", Actor.AGENT, 3900, 3900))
        tags.add(call_id, Tag("lead_notified", Actor.CALL, 3950, 3950, note="Team lead: Ivanova"))
    return call_id


@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_export_then_read_back(services: Services, stereo_call: Path, tmp_path: Path, format: str) -> None:
    call = get_call(services, str(_reviewed_call(services, stereo_call)))
    out = export_call(services, str(call.id), format, tmp_path / "out" / f"call{SUFFIX[format]}")
    parsed = parse_file(out)
    spoken = [(u.party, u.start_ms, u.end_ms, u.text) for u in parsed.utterances]
    assert spoken == [(u.party, u.start_ms, u.end_ms, u.text) for u in call.utterances]
    back = sorted((t.kind, t.actor, t.start_ms, t.end_ms, t.note) for t in parsed.events)
    assert back == sorted((t.kind, t.actor, t.start_ms, t.end_ms, t.note) for t in call.tags)
    assert list((tmp_path / "out").glob("*.tmp")) == []
