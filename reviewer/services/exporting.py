"""Export a reviewed call for other tools: WebVTT, SRT, ELAN EAF, Praat TextGrid, CSV or the call document JSON."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from reviewer.domain.call import Call
from reviewer.formats import call_json, csv_table, eaf, srt, textgrid, vtt
from reviewer.services.context import Services
from reviewer.services.library import get_call

WRITERS: dict[str, Callable[[Call], str]] = {
    "vtt": vtt.write,
    "srt": srt.write,
    "eaf": eaf.write,
    "textgrid": textgrid.write,
    "csv": csv_table.write,
    "json": call_json.write,
}
EXPORT_FORMATS: tuple[str, ...] = tuple(WRITERS)


def render(call: Call, format: str) -> str:
    """The call in an exchange format (KeyError for a name not in EXPORT_FORMATS)."""
    return WRITERS[format](call)


def export_call(services: Services, ref: str, format: str, out: Path) -> Path:
    """Write one call to `out` atomically (a temporary file renamed into place); returns the path written."""
    text = render(get_call(services, ref), format)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        Path(temp).replace(out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
