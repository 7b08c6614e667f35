"""Rendering: a docxtpl template into a .docx, an HTML template into a PDF.

Templates edited by an organization are rendered in a sandbox: Jinja's sandboxed environment
for .docx, and for HTML a Django template over plain dictionaries and strings only.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from django.template import engines
from django.template.loader import render_to_string

from nastavnik.documents.layouts import (
    APPROVAL_LINES,
    DATELINE_TEXT,
    LAYOUTS,
    NUMBER_TEXT,
    SIGNATURE_NAME,
    SIGNATURE_TEXT,
    Block,
    default_html,
)

# PDF: Liberation Serif (installed, metric-compatible with Times New Roman). Word: Times New Roman,
# which Word has everywhere and LibreOffice replaces with Liberation Serif.
FONT = "Liberation Serif"
DOCX_FONT = "Times New Roman"
FONT_SIZE_PT = 14


def _docx_blocks(document: Any, blocks: list[Block]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    for block in blocks:
        kind = block[0]
        if kind == "approval":
            for line in APPROVAL_LINES:
                p = document.add_paragraph(line)
                p.paragraph_format.left_indent = Cm(9.5)
                p.paragraph_format.space_after = Pt(0)
            document.add_paragraph()
        elif kind == "org":
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run("{{ organization.name }}").bold = True
        elif kind == "kind":
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(block[1]).bold = True
        elif kind == "dateline":
            p = document.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
            p.add_run(f"{DATELINE_TEXT}\t{NUMBER_TEXT}")
        elif kind == "title":
            p = document.add_paragraph()
            p.add_run(block[1]).bold = True
        elif kind == "h":
            p = document.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            p.add_run(block[1]).bold = True
        elif kind == "p":
            p = document.add_paragraph(block[1])
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)
        elif kind == "plain":
            p = document.add_paragraph(block[1])
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.space_after = Pt(6)
        elif kind == "for":
            document.add_paragraph(f"{{%p for {block[1]} %}}")
            _docx_blocks(document, block[2])
            document.add_paragraph("{%p endfor %}")
        elif kind == "table":
            headers, loop, cells = block[1], block[2], block[3]
            table = document.add_table(rows=3, cols=len(headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for i, header in enumerate(headers):
                table.rows[0].cells[i].paragraphs[0].add_run(header).bold = True
            table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
            for i, cell in enumerate(cells):
                table.rows[2].cells[i].text = cell
            # The closing tag needs its own row after the repeated one.
            end = table.add_row()
            end.cells[0].text = "{%tr endfor %}"
        elif kind == "signature":
            document.add_paragraph()
            p = document.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
            p.add_run(f"{SIGNATURE_TEXT}\t{SIGNATURE_NAME}")
        else:
            raise ValueError(kind)


@functools.cache
def default_docx(kind: str) -> bytes:
    """The default .docx template of a kind of document, built with python-docx."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    # ГОСТ Р 7.0.97: margins 20 mm, left 30 mm (here: 30 / 15 / 20 / 20).
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(FONT_SIZE_PT)
    style.paragraph_format.space_after = Pt(0)
    _docx_blocks(document, LAYOUTS[kind])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(template: bytes, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_html(body_template: str | None, kind: str, context: dict[str, Any]) -> str:
    """The whole HTML page of a document: the organization's body template or the default one,
    inside the page frame (fonts, margins)."""
    body_source = body_template if body_template and body_template.strip() else default_html(kind)
    body = engines["django"].from_string(body_source).render(context)
    return render_to_string(
        "documents/pdf/page.html",
        {"body": body, "title": context["document"]["title"], "font": FONT},
    )


def url_fetcher() -> Any:
    """Organizations edit the HTML: it may embed images as ``data:`` URIs but never make the
    server fetch a URL or read a local file."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()
