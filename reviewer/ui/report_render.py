"""The coaching report written to a file: PDF through Qt's rich text (QTextDocument on a QPdfWriter), or HTML.

QTextDocument cannot draw SVG, so the PDF's charts are PNG images handed to the document as resources. Text stays
text (the PDF is searchable and copyable), and the fonts are chosen from those installed, Cyrillic and CJK included.
"""

from __future__ import annotations

import collections
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from reviewer.domain.trends import Period
from reviewer.services.checking import CheckReport
from reviewer.services.context import Services
from reviewer.services.reporting import CoachingReport, coaching_report
from reviewer.services.trends import refresh_facts
from reviewer.ui.report_calls import CALL_HEADING_STATE
from reviewer.ui.report_charts import chart_images
from reviewer.ui.report_html import PRODUCT, compose, report_html

__all__ = ["report_html", "write_pdf", "write_report"]

RESOLUTION = 300  # dots per inch of the PDF's layout: fine enough that text positions and rules fall cleanly
MARGINS_MM = QMarginsF(16, 14, 16, 12)  # left, top, right, bottom; the footer sits inside the bottom of the body
FOOTER_PT = 7.0
# The first installed ones are used in this order; Qt falls back glyph by glyph along the list (Cyrillic in DejaVu,
# Chinese, Japanese and Korean in Noto CJK). Only installed names are given: Qt warns about each missing one.
FONT_FAMILIES = (
    "DejaVu Sans",
    "Segoe UI",
    "Helvetica Neue",
    "Arial",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Microsoft YaHei",
    "PingFang SC",
)
_KEEP: list[QGuiApplication] = []  # the application this module had to create, kept alive for later reports


def write_report(services: Services, agent: str, period: Period, path: Path) -> Path:
    """Bring the trends up to date, then write the agent's report as PDF or HTML by the path's suffix."""
    suffix = path.suffix.lower()
    if suffix not in {".pdf", ".html", ".htm"}:
        raise ValueError(f"{path}: a report is written as .pdf or .html")
    collections.deque(refresh_facts(services, CheckReport()), maxlen=0)  # run it to the end; no progress to show
    report = coaching_report(services, agent, period)
    if suffix == ".pdf":
        write_pdf(report, path)
    else:
        path.write_text(report_html(report), encoding="utf-8")
    return path


def write_pdf(report: CoachingReport, path: Path) -> None:
    """The report as an A4 PDF with real, searchable text, charts and numbered pages."""
    with path.open("wb"):  # an OSError that says why (QPdfWriter would only fail to paint, with a warning)
        pass
    _application()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM))
    writer.setTitle(f"Coaching report: {report.agent}, {report.period.label}")
    writer.setCreator(PRODUCT)
    document = _document(report, writer)
    _paint(document, writer, f"{PRODUCT}  ·  {report.agent}  ·  {report.period.label}")


def _application() -> None:
    """QTextDocument and QPdfWriter need a QGuiApplication; the CLI has none, and often no screen either."""
    running = QCoreApplication.instance()
    if isinstance(running, QGuiApplication):
        return
    if running is not None:  # fonts and PDF painting need the GUI kind; a second application cannot be made
        raise RuntimeError("writing a PDF needs a QGuiApplication, and a QCoreApplication is already running")
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _KEEP.append(QGuiApplication([sys.argv[0] if sys.argv else PRODUCT]))


def _families() -> list[str]:
    installed = set(QFontDatabase.families())
    return [family for family in FONT_FAMILIES if family in installed]


def _document(report: CoachingReport, writer: QPdfWriter) -> QTextDocument:
    """The report laid out in the writer's own units, with the charts as image resources."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # fonts and images keep their size at the writer's resolution
    document.setDocumentMargin(0)
    families = _families()
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    body = _body(writer)
    width = _chart_width(writer, body)
    markup = []
    for index, png in enumerate(chart_images(report, "png")):
        name = f"chart-{index}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage.fromData(png))
        markup.append(f'<img src="{name}" width="{width}">')
    css_fonts = ", ".join(f"'{family}'" for family in families) or "sans-serif"
    document.setHtml(compose(report, markup, css_fonts))
    document.setPageSize(QSizeF(body.width(), body.height() - _footer_height(writer)))
    _keep_together(document)
    return document


def _keep_together(document: QTextDocument) -> None:
    """Qt breaks pages anywhere, even inside a table or right under a heading: a call that would be split but fits on
    a page starts on the next one, and so does a short table (a notes box, figures) with the heading above it."""
    page, layout = document.pageSize().height(), document.documentLayout()
    items = _top_level(document)
    for index, item in enumerate(items):
        if not isinstance(item, QTextTable):
            continue
        last: QTextBlock | QTextTable = item
        limit = page * 0.75  # not one half: a table Qt moved down counts the space it skipped in its height
        if _is_call_heading(item):
            end = next((j for j in range(index + 1, len(items)) if _starts_part(items[j])), len(items))
            last, limit = items[end - 1], page
        lead = _lead(items, index)
        top, bottom = _rect(layout, lead).top(), _rect(layout, last).bottom()  # as laid out after earlier moves
        if int(top // page) != int((bottom - 1) // page) and bottom - top < limit:
            _break_before(lead)


def _top_level(document: QTextDocument) -> list[QTextBlock | QTextTable]:
    items: list[QTextBlock | QTextTable] = []
    cursor = document.rootFrame().begin()
    while not cursor.atEnd():
        frame, block = cursor.currentFrame(), cursor.currentBlock()
        if block.isValid():
            items.append(block)
        elif isinstance(frame, QTextTable):
            items.append(frame)
        cursor += 1
    return items


def _is_call_heading(table: QTextTable) -> bool:
    """A call's heading: report_calls.py marks the block of its first cell."""
    return table.cellAt(0, 0).firstCursorPosition().block().userState() == CALL_HEADING_STATE


def _starts_part(item: QTextBlock | QTextTable) -> bool:
    if isinstance(item, QTextTable):
        return _is_call_heading(item)
    return bool(item.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)


def _rect(layout: QAbstractTextDocumentLayout, item: QTextBlock | QTextTable) -> QRectF:
    return layout.frameBoundingRect(item) if isinstance(item, QTextTable) else layout.blockBoundingRect(item)


def _lead(items: list[QTextBlock | QTextTable], index: int) -> QTextBlock | QTextTable:
    """Where a page break before items[index] goes: above the heading (and the one note under it) it follows."""
    before = [item for item in reversed(items[max(index - 4, 0) : index]) if not _blank(item)]
    for item in before[:2]:
        if isinstance(item, QTextTable):
            break
        if item.blockFormat().headingLevel():
            return item
    return items[index]


def _blank(item: QTextBlock | QTextTable) -> bool:
    return isinstance(item, QTextBlock) and not item.text().strip()


def _break_before(item: QTextBlock | QTextTable) -> None:
    always = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    if isinstance(item, QTextTable):
        table_format = item.format()
        table_format.setPageBreakPolicy(always)
        item.setFormat(table_format)
    else:
        block_format = item.blockFormat()
        block_format.setPageBreakPolicy(always)
        QTextCursor(item).setBlockFormat(block_format)


def _body(writer: QPdfWriter) -> QRectF:
    """The printable area in device pixels, with its origin where the painter's is."""
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    return QRectF(0, 0, rect.width(), rect.height())


def _chart_width(writer: QPdfWriter, body: QRectF) -> int:
    """Half the body's width less the cell padding, in the CSS pixels (1/96 inch) an <img> width is read in."""
    css_pixels = body.width() * 96 / writer.resolution()
    return int(css_pixels / 2) - 12


def _footer_height(writer: QPdfWriter) -> float:
    return FOOTER_PT * 3.2 * writer.resolution() / 72


def _paint(document: QTextDocument, writer: QPdfWriter, footer: str) -> None:
    """Each page's slice of the document, then a footer with the page number."""
    painter = QPainter(writer)
    try:
        page = document.pageSize()
        pages = document.pageCount()
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(0, -index * page.height())
            document.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            _footer(painter, writer, footer, f"Page {index + 1} of {pages}")
    finally:
        painter.end()


def _footer(painter: QPainter, writer: QPdfWriter, left: str, right: str) -> None:
    body = _body(writer)
    height = _footer_height(writer)
    top = body.height() - height * 0.62
    painter.save()
    painter.setPen(QPen(QColor("#b0bec5"), writer.resolution() / 150))
    painter.drawLine(0, round(top), round(body.width()), round(top))
    font = QFont()
    font.setFamilies(_families())
    font.setPointSizeF(FOOTER_PT)
    painter.setFont(font)
    painter.setPen(QColor("#607d8b"))
    text = QRectF(0, top, body.width(), body.height() - top)
    painter.drawText(text, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left)
    painter.drawText(text, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right)
    painter.restore()
