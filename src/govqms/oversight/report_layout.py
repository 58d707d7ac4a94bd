"""One official document, two files: the layout of Decree 30/2020/NĐ-CP (Appendix I)
written as DOCX (python-docx, govqms.reports.docx) and as PDF (WeasyPrint, from the
print template oversight/reports/official_print.html), from the same context.

The context (`Official`) holds the header (parent authority, issuing body, number and
symbol, place and date), the title, the addressee, the body as a list of blocks
(headings, paragraphs, tables, bullet lists), the recipients and the signer, and an
optional annex. The labels of the layout (national motto, "Số", "Nơi nhận") are
Vietnamese by nature: they print the same whatever the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from govqms.reports import docx as D
from govqms.reports.pdf import html_to_pdf

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số"
RECIPIENTS = "Nơi nhận"
DRAFT = "DỰ THẢO"


def place_date(place: str, day: dt.date) -> str:
    """ "Bắc Ninh, ngày 25 tháng 11 năm 2022" (Decree 30: days below 10 and months
    below 3 take a leading zero)."""
    d = f"{day.day:02d}"
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {d} tháng {m} năm {day.year}"


def h1(text: str) -> dict:
    return {"kind": "h1", "text": text}


def h2(text: str) -> dict:
    return {"kind": "h2", "text": text}


def para(text: str, *, italic: bool = False) -> dict:
    return {"kind": "p", "text": text, "italic": italic}


def bullets(items: list[str]) -> dict:
    return {"kind": "list", "items": list(items)}


def table(widths, header, rows, align=None, *, size: float = 11) -> dict:
    """`align`: one letter per column, "l", "c" or "r"."""
    align = list(align or "l" * len(widths))
    rows = [["" if c is None else str(c) for c in r] for r in rows]
    return {
        "kind": "table",
        "widths": list(widths),
        "header": list(header),
        "rows": rows,
        "cells": [list(zip(r, align, strict=False)) for r in rows],
        "align": align,
        "size": size,
    }


@dataclass
class Official:
    issuer: str
    number: str
    place_date: str
    title: str
    subtitle: str = ""
    authority: str = ""
    addressee: str = ""
    blocks: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""
    mark: str = ""
    annex_title: str = ""
    annex_subtitle: str = ""
    annex: list = field(default_factory=list)

    @property
    def signer_lines(self) -> list[str]:
        return [line for line in self.signer_title.splitlines() if line.strip()]

    @property
    def recipient_lines(self) -> list[str]:
        """Decree 30: each recipient ends with a semicolon, the last with a full stop."""
        lines = [r.strip().rstrip(";.") for r in self.recipients if r.strip()]
        return [f"{r};" for r in lines[:-1]] + [f"{r}." for r in lines[-1:]]

    @property
    def document_title(self) -> str:
        return f"{self.title} {self.subtitle}".strip()


# ---------------------------------------------------------------- PDF


def render_html(doc: Official) -> str:
    return render_to_string("oversight/reports/official_print.html", {"d": doc})


def render_pdf(doc: Official) -> bytes:
    return html_to_pdf(render_html(doc))


# ---------------------------------------------------------------- DOCX

# Decree 30 allows a right margin of 15 mm: the agency block and the motto then
# each fit on one line.
RIGHT_MARGIN_CM = 1.5
HEAD_COLS = (6.9, 9.6)
SIGN_COLS = (7.6, 8.4)
_ALIGN = {"l": D.LEFT, "c": D.CENTER, "r": D.WD_ALIGN_PARAGRAPH.RIGHT}


def _body_paragraph(word, text: str, *, italic: bool = False):
    p = D.add_paragraph(word, text, align=D.JUSTIFY, italic=italic or None)
    p.paragraph_format.first_line_indent = D.Cm(1.0)
    p.paragraph_format.space_after = D.Pt(4)
    return p


def _blocks(word, blocks: list) -> None:
    last = None
    for b in blocks:
        kind = b["kind"]
        if kind == "h1":
            word.add_heading(b["text"], level=1)
        elif kind == "h2":
            word.add_heading(b["text"], level=2)
        elif kind == "p":
            last = _body_paragraph(word, b["text"], italic=b.get("italic", False))
            continue
        elif kind == "list":
            for item in b["items"]:
                p = D.add_paragraph(word, f"- {item}", align=D.JUSTIFY)
                p.paragraph_format.first_line_indent = D.Cm(1.0)
                p.paragraph_format.space_after = D.Pt(2)
        elif kind == "table":
            D.add_table(
                word,
                b["widths"],
                b["rows"],
                header=b["header"],
                size=b["size"],
                align=[_ALIGN[a] for a in b["align"]],
            )
            word.add_paragraph().paragraph_format.space_after = D.Pt(2)
        last = None
    # The closing sentence stays on the page of the signature.
    if last is not None:
        last.paragraph_format.keep_with_next = True


def render_docx(doc: Official) -> bytes:
    word = D.new_document(title=doc.document_title, author=doc.issuer, subject=doc.subtitle)
    word.sections[0].right_margin = D.Cm(RIGHT_MARGIN_CM)
    if doc.mark:
        D.add_paragraph(word, doc.mark, bold=True, color=D.RED, size=14, align=D.CENTER)

    head = D.add_table(word, HEAD_COLS, [["", ""], ["", ""]], size=12)
    D.no_borders(head)
    agency, motto = head.rows[0].cells
    lines = ([doc.authority.upper()] if doc.authority else []) + [doc.issuer.upper()]
    D.set_cell(agency, "\n".join(lines), size=12, align=D.CENTER, valign="top")
    agency.paragraphs[-1].runs[0].bold = True
    # The short line under the issuing body (Decree 30: a third to a half of its width).
    D.add_text(agency.add_paragraph(), "—————", size=10).bold = True
    agency.paragraphs[-1].alignment = D.CENTER
    D.set_cell(motto, f"{MOTTO_1}\n{MOTTO_2}", size=12, align=D.CENTER, valign="top")
    motto.paragraphs[0].runs[0].bold = True
    slogan = motto.paragraphs[1].runs[0]
    slogan.bold = True
    slogan.underline = True
    slogan.font.size = D.Pt(13)
    number, date = head.rows[1].cells
    D.set_cell(number, f"{NUMBER}: {doc.number}", size=13, align=D.CENTER)
    D.set_cell(date, doc.place_date, size=13, align=D.CENTER, italic=True)

    p = D.add_paragraph(word, doc.title, bold=True, size=14, align=D.CENTER, space_after=0)
    p.paragraph_format.space_before = D.Pt(14)
    if doc.subtitle:
        D.add_paragraph(word, doc.subtitle, bold=True, align=D.CENTER, space_after=2)
    D.add_paragraph(word, "—————", bold=True, size=10, align=D.CENTER, space_after=6)
    if doc.addressee:
        D.add_paragraph(word, doc.addressee, align=D.CENTER, space_after=8)

    _blocks(word, doc.blocks)

    sign = D.add_table(word, SIGN_COLS, [["", ""]], size=12)
    D.no_borders(sign)
    left, right = sign.rows[0].cells
    D.set_cell(
        left,
        f"{RECIPIENTS}:\n" + "\n".join(f"- {r}" for r in doc.recipient_lines),
        size=11,
        align=D.LEFT,
        valign="top",
    )
    head_run = left.paragraphs[0].runs[0]
    head_run.bold = True
    head_run.italic = True
    head_run.font.size = D.Pt(12)
    signer = doc.signer_lines or [""]
    D.set_cell(right, "\n".join(signer) + "\n\n\n\n\n" + doc.signer_name, size=13, align=D.CENTER)
    for paragraph in right.paragraphs:
        for run in paragraph.runs:
            run.bold = True

    if doc.annex:
        from docx.enum.text import WD_BREAK

        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        D.add_paragraph(word, doc.annex_title, bold=True, size=13, align=D.CENTER, space_after=0)
        if doc.annex_subtitle:
            D.add_paragraph(word, doc.annex_subtitle, italic=True, align=D.CENTER, space_after=6)
        _blocks(word, doc.annex)
    return D.to_bytes(word)
