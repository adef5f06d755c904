"""The coaching report: a PDF with real text (the agent, the period, each call to discuss with its findings and
notes, Cyrillic and CJK included) and a self-contained HTML document with inline SVG charts."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication

from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.domain.tags import Tag
from reviewer.domain.trends import Period
from reviewer.persistence.calls import CallRepository
from reviewer.services import review
from reviewer.services.context import Services
from reviewer.services.reporting import AgentNotFoundError, coaching_report
from reviewer.ui.report_calls import CALL_HEADING_STATE
from reviewer.ui.report_render import report_html, write_pdf, write_report

WEEK = Period.parse("2026-W47")  # Mon 16 - Sun 22 Nov 2026
TOM, OLGA, TEAM = "Tom Baker", "Ольга Смирнова", "Team South"
VIOLATION_NOTE = "Hung up after one insult: talked it through with the team lead."
RUSSIAN_NOTE = "клиент оскорбил агента"
CHINESE_NOTE = "客人很生气，挂断了电话"


def _call(external_id: str, agent: str, day: int, tags: tuple[Tag, ...], month: int = 11) -> Call:
    """A call on a day of November 2026 at noon UTC (the same ISO week in any time zone), 60 s long."""
    sha = external_id.encode().hex().ljust(64, "0")[:64]
    return Call(
        external_id=external_id,
        audio=AudioInfo(f"/calls/{external_id}.wav", sha, 60_000, 8000, 2, ChannelLayout.AGENT_LEFT),
        started_at=datetime(2026, month, day, 12, 0, tzinfo=UTC),
        agent=agent,
        team=TEAM,
        tags=tags,
    )


def _premature(note: str = "") -> tuple[Tag, ...]:
    """An insult, then the agent hangs up with no warning: R1.premature_hangup, a violation."""
    return (
        Tag("insult", Actor.CUSTOMER, 10_000, 12_000, note=note),
        Tag("hang_up", Actor.AGENT, 20_000, 20_000),
    )


def _banned(note: str) -> tuple[Tag, ...]:
    """A banned phrase by the agent, then the customer hangs up: R7.banned_phrase, coaching."""
    return (
        Tag("banned_phrase", Actor.AGENT, 15_000, 16_000, note=note),
        Tag("hang_up", Actor.CUSTOMER, 50_000, 50_000),
    )


def _calm() -> tuple[Tag, ...]:
    return (Tag("empathy", Actor.AGENT, 5_000, 7_000), Tag("hang_up", Actor.CUSTOMER, 55_000, 55_000))


@pytest.fixture
def library(sqlite_services: Services) -> Services:
    """Tom's and Olga's week 47, with an earlier week for the comparison; every call marked done."""
    calls = [
        (_call("T-101", TOM, 17, _premature()), VIOLATION_NOTE),
        (_call("T-102", TOM, 18, _banned("said 'calm down'")), "Tone: practise the de-escalation phrases."),
        (_call("T-103", TOM, 19, _calm()), "A model call."),
        (_call("T-090", TOM, 3, _banned("")), ""),  # week 45
        (_call("O-201", OLGA, 18, _premature(RUSSIAN_NOTE)), "Разобрали звонок с руководителем."),
        (_call("O-202", OLGA, 20, _banned(CHINESE_NOTE)), ""),
    ]
    with sqlite_services.database.session() as session:
        ids = [(CallRepository(session).add(call), note) for call, note in calls]
    for call_id, note in ids:
        review.set_review(sqlite_services, call_id, ReviewStatus.DONE, note)
    return sqlite_services


def _pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space as one space (Qt places words apart; pypdf reads tabs between them),
    in NFKC: Noto CJK draws 人 and the radical ⼈ with one glyph, and Qt maps such a glyph back to the radical
    (https://github.com/wkhtmltopdf/wkhtmltopdf/issues/4414). 户 would come back as ⼾, which NFKC makes 戶."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def test_the_pdf_names_the_agent_the_period_and_each_call_to_discuss(
    qapp: QApplication, library: Services, tmp_path: Path
) -> None:
    path = write_report(library, TOM, WEEK, tmp_path / "tom.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    text = _pdf_text(path)
    for expected in (TOM, "2026-W47", TEAM, "Calls to discuss (2)", "T-101", "T-102", VIOLATION_NOTE):
        assert expected in text, expected
    assert "hang-up before the ladder was complete" in text  # a finding's sentence
    assert "R1.premature_hangup" in text and "R7.banned_phrase" in text
    assert "T-103" not in text  # compliant: nothing to discuss
    assert "T-090" not in text  # another week


def test_cyrillic_and_cjk_survive_into_the_pdf_text(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    text = _pdf_text(write_report(library, OLGA, WEEK, tmp_path / "olga.pdf"))
    assert OLGA in text and "2026-W47" in text
    assert RUSSIAN_NOTE in text and "Разобрали звонок с руководителем." in text
    assert unicodedata.normalize("NFKC", CHINESE_NOTE) in text
    assert "O-201" in text and "O-202" in text


def test_the_html_is_self_contained_with_inline_svg_charts(
    qapp: QApplication, library: Services, tmp_path: Path
) -> None:
    page = write_report(library, TOM, WEEK, tmp_path / "tom.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert 'src="http' not in page and "<link" not in page and "<script" not in page
    for expected in (TOM, "2026-W47", "T-101", "T-102", "hang-up before the ladder was complete", VIOLATION_NOTE):
        assert expected in page, expected
    assert "T-103" not in page
    assert "What went well" in page and "Agreed actions" in page and "Notes from the conversation" in page


def test_user_text_is_escaped(qapp: QApplication, sqlite_services: Services, tmp_path: Path) -> None:
    hostile = _call("<b>X-1</b>", "Eve <script>", 17, _premature(note="<img src=x>"))
    with sqlite_services.database.session() as session:
        call_id = CallRepository(session).add(hostile)
    review.set_review(sqlite_services, call_id, ReviewStatus.DONE, "a < b & c")
    page = write_report(sqlite_services, "Eve <script>", WEEK, tmp_path / "eve.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img src=x>" not in page and "<b>X-1</b>" not in page
    assert "Eve &lt;script&gt;" in page and "a &lt; b &amp; c" in page


def test_a_report_with_nothing_to_discuss_still_renders(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    text = _pdf_text(write_report(library, TOM, Period.parse("2026-W46"), tmp_path / "quiet.pdf"))
    assert TOM in text and "2026-W46" in text and "Calls to discuss (0)" in text


def test_an_unknown_agent_raises(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    with pytest.raises(AgentNotFoundError):
        write_report(library, "Nobody", WEEK, tmp_path / "nobody.pdf")
    assert not (tmp_path / "nobody.pdf").exists()


def test_another_suffix_is_refused_naming_the_path(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    target = tmp_path / "tom.txt"
    with pytest.raises(ValueError, match=r"tom\.txt"):
        write_report(library, TOM, WEEK, target)
    assert not target.exists()


def test_a_folder_that_does_not_exist_is_an_os_error(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_report(library, TOM, WEEK, tmp_path / "missing" / "tom.pdf")


def test_html_charts_can_be_png_or_left_out(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    write_report(library, TOM, WEEK, tmp_path / "warm.pdf")  # brings the facts up to date
    report = coaching_report(library, TOM, WEEK)
    assert "data:image/png;base64," in report_html(report, charts="png")
    assert "<svg" not in report_html(report, charts="none")
    with pytest.raises(ValueError, match="charts"):
        report_html(report, charts="gif")
    write_pdf(report, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF")


def test_qt_reads_back_the_marker_of_each_call_heading(qapp: QApplication, library: Services, tmp_path: Path) -> None:
    """The PDF keeps a call together from its heading on, which it finds by this marker, not by the heading's look."""
    write_report(library, TOM, WEEK, tmp_path / "warm.pdf")  # brings the facts up to date
    document = QTextDocument()
    document.setHtml(report_html(coaching_report(library, TOM, WEEK), charts="none"))
    marked = []
    cursor = document.rootFrame().begin()
    while not cursor.atEnd():
        table = cursor.currentFrame()
        if isinstance(table, QTextTable):
            first = table.cellAt(0, 0).firstCursorPosition().block()
            marked += [first.text().split()[0]] if first.userState() == CALL_HEADING_STATE else []
        cursor += 1
    assert sorted(marked) == ["T-101", "T-102"]
