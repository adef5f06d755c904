"""The demo library acts out the seed scenarios over several agents, two teams and several weeks."""

from __future__ import annotations

from pathlib import Path

from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call, list_calls
from tests.testkit import write_wav


def test_demo_library_content(services: Services) -> None:
    report = ImportReport()
    list(build_demo(services, report, history=False))
    assert report.failed == [] and len(report.imported) >= 8
    summaries = list_calls(services)
    calls = [get_call(services, str(s.id)) for s in summaries]
    assert len({c.team for c in calls}) >= 2 and len({c.agent for c in calls}) >= 4
    assert len({c.started_at.isocalendar()[:2] for c in calls if c.started_at}) >= 4
    assert all(c.audio.channels == 2 and c.audio.sample_rate == 8000 and c.utterances for c in calls)
    assert any(c.audio.layout is ChannelLayout.AGENT_RIGHT for c in calls)
    russian = [c for c in calls if any("Здравствуйте" in u.text or "здравствуйте" in u.text for u in c.utterances)]
    assert len(russian) >= 2
    kinds = {(t.kind, t.actor) for c in calls for t in c.tags}
    for expected in [("warning", Actor.AGENT), ("hang_up", Actor.AGENT), ("threat", Actor.CUSTOMER),
                     ("personal_question", Actor.CUSTOMER), ("circular_dialogue", Actor.CUSTOMER),
                     ("supervisor_request", Actor.CUSTOMER), ("interruption", Actor.AGENT),
                     ("banned_phrase", Actor.AGENT), ("hang_up", Actor.CUSTOMER)]:  # fmt: skip
        assert expected in kinds
    for call in calls:
        assert all(t.end_ms <= call.duration_ms for t in call.tags)
        assert all(u.end_ms <= call.duration_ms for u in call.utterances)


def test_rebuilding_replaces_only_the_demo_calls(services: Services, tmp_path: Path) -> None:
    own = ImportReport()
    list(import_calls(services, [ImportRequest(audio=write_wav(tmp_path / "own.wav"), external_id="demo-01")], own))
    first = ImportReport()
    list(build_demo(services, first, history=False))
    second = ImportReport()
    list(build_demo(services, second, history=False))
    assert second.failed == [] and second.skipped == []
    external_ids = [c.external_id for c in list_calls(services)]
    assert len(external_ids) == len(first.imported) + 1
    assert external_ids.count("demo-01") == 2  # the supervisor's own call of that name survived both rebuilds
    assert get_call(services, str(own.imported[0])).audio.path.endswith("own.wav")
