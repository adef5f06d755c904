"""The app's own call document: the JSON shape of `reviewer show --json` (and, later, of the JSON export)."""

from __future__ import annotations

from typing import Any

from reviewer.domain.call import Call


def call_document(call: Call) -> dict[str, Any]:
    """A call as plain JSON-ready data: metadata, utterances with words, tags."""
    audio = call.audio
    transcript = call.transcript
    return {
        "id": call.id,
        "external_id": call.external_id,
        "agent": call.agent,
        "team": call.team,
        "started_at": call.started_at.isoformat() if call.started_at else None,
        "duration_ms": audio.duration_ms,
        "sample_rate": audio.sample_rate,
        "channels": audio.channels,
        "layout": audio.layout.value,
        "audio_path": audio.path,
        "second_audio_path": audio.second_path,
        "audio_sha256": audio.sha256,
        "disconnect_reason": call.disconnect_reason,
        "review_status": call.review_status.value,
        "summary": call.summary,
        "parties_swapped": call.parties_swapped,
        "transcript": {"path": transcript.path, "format": transcript.format, "encoding": transcript.encoding}
        if transcript
        else None,
        "utterances": [
            {
                "party": u.party.value,
                "speaker": u.speaker,
                "start_ms": u.start_ms,
                "end_ms": u.end_ms,
                "text": u.text,
                "words": [
                    {
                        "text": w.text,
                        "start_ms": w.start_ms,
                        "end_ms": w.end_ms,
                        "confidence": w.confidence,
                        "mark": w.mark.value if w.mark else None,
                    }
                    for w in u.words
                ],
            }
            for u in call.utterances
        ],
        "tags": [
            {
                "id": t.id,
                "kind": t.kind,
                "actor": t.actor.value,
                "start_ms": t.start_ms,
                "end_ms": t.end_ms,
                "note": t.note,
                "source": t.source.value,
                "author": t.author,
            }
            for t in call.tags
        ],
    }
