"""Building blocks for Word documents with python-docx: an A4 page in the style of
Vietnamese official documents (Times New Roman 13, Decree 30/2020/NĐ-CP margins),
tables with fixed column widths that Word and LibreOffice both honour, and page
fields (PAGE, NUMPAGES), which python-docx has no API for.

Every table sets the three places a width lives (the grid, each cell, the table)
and a fixed layout: Word reads the cells, LibreOffice the grid, and without a
fixed layout either may re-flow the columns to their content.
"""

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Times New Roman"
SIZE = 13
LANG = "vi-VN"
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "E7E6E6"

# Decree 30/2020/NĐ-CP, Appendix I: top and bottom 20-25 mm, left 30-35 mm,
# right 15-20 mm.
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGINS_CM["left"] - MARGINS_CM["right"]

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_rfonts(rpr, font: str, lang: str | None = None) -> None:
    """Name the font for every script and drop theme fonts (which win over names)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    if lang:
        lang_el = rpr.find(qn("w:lang"))
        if lang_el is None:
            lang_el = OxmlElement("w:lang")
            rpr.append(lang_el)
        lang_el.set(qn("w:val"), lang)
        lang_el.set(qn("w:eastAsia"), lang)


def new_document(*, title: str = "", author: str = "", subject: str = "") -> Document:
    """An empty A4 portrait document with Vietnamese official-document styles."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(PAGE_WIDTH_CM)
    section.page_height = Cm(PAGE_HEIGHT_CM)
    section.top_margin = Cm(MARGINS_CM["top"])
    section.bottom_margin = Cm(MARGINS_CM["bottom"])
    section.left_margin = Cm(MARGINS_CM["left"])
    section.right_margin = Cm(MARGINS_CM["right"])
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)

    # Document defaults: every run, in every part, falls back to these.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr_default, FONT, LANG)

    for style in doc.styles:
        rpr = style.element.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _set_rfonts(rpr, FONT)
    normal = doc.styles["Normal"]
    _set_rfonts(normal.element.get_or_add_rPr(), FONT, LANG)
    normal.font.size = Pt(SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", SIZE), ("Heading 2", SIZE), ("Heading 3", SIZE)):
        style = doc.styles[name]
        _set_rfonts(style.element.get_or_add_rPr(), FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = name == "Heading 3"
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(8 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.keep_with_next = True

    props = doc.core_properties
    props.title = title[:255]
    props.author = author[:255]
    props.subject = subject[:255]
    props.language = LANG
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = author[:255]
    return doc


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- text


def format_run(run, *, bold=None, italic=None, size=None, color=None, caps=None):
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    if caps is not None:
        run.font.all_caps = caps
    return run


def add_text(paragraph, text: str, **fmt):
    """Append `text` to a paragraph; new lines become line breaks."""
    lines = str(text).split("\n")
    run = None
    for index, line in enumerate(lines):
        run = format_run(paragraph.add_run(line), **fmt)
        if index < len(lines) - 1:
            run.add_break()
    return run


def add_paragraph(container, text: str = "", *, align=None, space_after=None, **fmt):
    paragraph = container.add_paragraph()
    if text:
        add_text(paragraph, text, **fmt)
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def add_field(paragraph, instruction: str, placeholder: str = "1", **fmt) -> None:
    """A complex field (e.g. "PAGE", "NUMPAGES"): begin, instruction, separate, the
    cached result Word and LibreOffice show until they recompute it, end."""

    def fld_char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = format_run(paragraph.add_run(), **fmt)
    run._r.append(fld_char("begin"))
    run = format_run(paragraph.add_run(), **fmt)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(instr)
    run = format_run(paragraph.add_run(), **fmt)
    run._r.append(fld_char("separate"))
    format_run(paragraph.add_run(placeholder), **fmt)
    run = format_run(paragraph.add_run(), **fmt)
    run._r.append(fld_char("end"))


# ---------------------------------------------------------------- tables


def _set_table_width(table, widths_cm: Sequence[float]) -> None:
    tbl_pr = table._tbl.tblPr
    total = int(sum(Cm(w).twips for w in widths_cm))
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(total))
    tbl_w.set(qn("w:type"), "dxa")
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    # CT_TblPr wants its children in schema order; python-docx's elements know it.
    _reorder(tbl_pr)


_TBLPR_ORDER = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
]


def _reorder(tbl_pr) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_TBLPR_ORDER)}
    children = list(tbl_pr)
    children.sort(key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def add_table(
    container,
    widths_cm: Sequence[float],
    rows: Iterable[Sequence],
    *,
    header: Sequence[str] | None = None,
    size: float = 12,
    align: Sequence | None = None,
    fill_header: bool = True,
):
    """A bordered table with fixed column widths. `rows` are sequences of cell texts
    (str, or None for blank); `header` is repeated on every page the table spans;
    `align` gives each column's paragraph alignment."""
    rows = [list(row) for row in rows]
    n_rows = len(rows) + (1 if header else 0)
    n_cols = len(widths_cm)
    if hasattr(container, "add_table") and container.__class__.__name__ == "Document":
        table = container.add_table(rows=n_rows, cols=n_cols)
    else:
        table = container.add_table(n_rows, n_cols, Cm(sum(widths_cm)))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_width(table, widths_cm)
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
    align = align or [LEFT] * n_cols
    all_rows = ([list(header)] if header else []) + rows
    for row_index, (row, values) in enumerate(zip(table.rows, all_rows, strict=True)):
        is_header = bool(header) and row_index == 0
        if is_header:
            repeat_as_header(row)
        keep_row_together(row)
        for col_index, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            cell.width = Cm(widths_cm[col_index])
            set_cell(
                cell,
                "" if value is None else str(value),
                bold=is_header,
                size=size,
                align=CENTER if is_header else align[col_index],
            )
            if is_header and fill_header:
                shade(cell, HEADER_FILL)
    return table


def no_borders(table, *, cells: bool = False) -> None:
    """Hide every border of the table (its edges and inside lines), as for the
    heading and signature blocks laid out side by side in a borderless table.
    `cells`: also drop the borders the cells set themselves."""
    tbl_pr = table._tbl.tblPr
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    _reorder(tbl_pr)
    if cells:
        for row in table.rows:
            for cell in row.cells:
                tc_pr = cell._tc.get_or_add_tcPr()
                old = tc_pr.find(qn("w:tcBorders"))
                if old is not None:
                    tc_pr.remove(old)


def set_cell(cell, text: str, *, align=LEFT, valign="center", **fmt) -> None:
    """Replace the cell's text (new lines become paragraphs)."""
    lines = str(text).split("\n") if text else [""]
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    paragraphs = [first] + [cell.add_paragraph() for _ in lines[1:]]
    for paragraph, line in zip(paragraphs, lines, strict=True):
        if line:
            format_run(paragraph.add_run(line), **fmt)
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(1)
        paragraph.paragraph_format.space_after = Pt(1)
        paragraph.paragraph_format.line_spacing = 1.0
    cell.vertical_alignment = {
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[valign]


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = tc_pr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        # tcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, ..., vAlign
        v_align = tc_pr.find(qn("w:vAlign"))
        if v_align is not None:
            v_align.addprevious(shd)
        else:
            tc_pr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _tr_pr(row):
    return row._tr.get_or_add_trPr()


def repeat_as_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    _tr_pr(row).append(element)


def keep_row_together(row) -> None:
    """Never split the row across two pages."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr = _tr_pr(row)
    # trPr children: cantSplit comes before tblHeader.
    tr_pr.insert(0, element)


def min_height(row, height_cm: float) -> None:
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
