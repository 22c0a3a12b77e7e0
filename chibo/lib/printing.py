"""A cell's printed record as a Word document and as a PDF, from the same HTML.

Every record Chibo prints (the annual plan, the annual report, the minutes,
the attendance signing sheet, a document as it was sent) is one HTML
fragment: the ``<article class="printed-record">…</article>`` of its page.
``record_docx`` (python-docx) and ``record_pdf`` (WeasyPrint) both read that
fragment, through the same parser, so the page, the .docx and the PDF never
say different things. The layout is the Party's (Hướng dẫn 36-HD/VPTW, 2018;
docs/records.md says which point each part follows): A4, margins 20 mm top
and bottom, 30 mm left, 15 mm right, Times New Roman 14 pt.

**The HTML a printed record may use** (templates that feed these files must
stay inside it; anything else is read as plain text, or left out):

- blocks: ``header``, ``footer``, ``article``, ``section``, ``div``, ``p``,
  ``h1`` (the document's name: centred, bold, 15 pt, a short rule under it),
  ``h2``, ``h3`` (bold), ``ol``/``ul``/``li`` (numbered or dashed, nested),
  ``table``/``thead``/``tbody``/``tr``/``th``/``td`` (a ruled table; the
  first row's ``print-col-N`` classes give the columns' widths in twelfths);
- inline: ``strong``/``b``, ``em``/``i``, ``u``, ``span``, ``a`` (its text),
  ``br``;
- left out with their content: ``script``, ``style``, ``svg``, ``img``,
  ``figure`` (charts and photos: a numbered document is text and figures),
  ``button``, ``form``, ``nav``, ``details``, and any element with the class
  ``d-print-none`` or ``visually-hidden``;
- classes on any element: ``text-center``, ``text-end`` (alignment),
  ``fw-bold``, ``fst-italic``, ``text-uppercase``, ``small`` (12 pt),
  ``text-decoration-underline``;
- two or three columns side by side, without borders: an element with the
  class ``row``, ``report-heading``, ``report-signature`` or
  ``print-columns``; each child element is a column, ``col-N`` or
  ``print-col-N`` its width in twelfths (else equal widths). The heading
  (issuer left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-and-date line right)
  and the signature block
  (Nơi nhận left, the signer right) are such rows
  (``templates/sessions/_document_heading.html``, ``_document_signature.html``);
- ``report-party-name`` or ``minutes-party``: the title "ĐẢNG CỘNG SẢN VIỆT
  NAM" (15 pt, bold, a rule under it);
- ``report-subtitle``: the summary under the document's name (14 pt, bold);
- an element with a class ending in ``signature-space``: room to sign;
- ``page-break``: the next part starts on a new page (one set of minutes
  per group);
- ``keep-together``: kept on one page in the PDF (the minutes' closing line
  and its signatures: a signature never stands alone on a page);
- ``minutes-subtitle``: a centred line under the document's name;
- ``signing-blank``: a table row left empty to be written in by hand;
  ``signing-signature``: a cell to sign in (its row is taller).
"""

import re
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

# Hướng dẫn 36-HD/VPTW: A4; top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FONT = "Times New Roman"
BODY_PT = 14
TITLE_PT = 15
SMALL_PT = 12
TABLE_PT = 13
STYLESHEET = "css/record.css"

BLOCKS = {
    "article",
    "section",
    "header",
    "footer",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "ol",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "main",
}
DROPPED = {
    "script",
    "style",
    "svg",
    "img",
    "figure",
    "button",
    "form",
    "nav",
    "details",
    "input",
    "select",
    "textarea",
    "noscript",
    "template",
    "title",
    "head",
    "canvas",
    "video",
    "audio",
    "iframe",
}
DROPPED_CLASSES = {"d-print-none", "visually-hidden"}
VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col"}
COLUMN_CLASSES = {"row", "report-heading", "report-signature", "print-columns"}
PARTY_CLASSES = {"report-party-name", "minutes-party"}
ALLOWED_CLASSES = {
    "text-center",
    "text-end",
    "fw-bold",
    "fst-italic",
    "text-uppercase",
    "small",
    "text-decoration-underline",
    "report-subtitle",
    "signing-blank",
    "signing-signature",
    "printed-record",
    "page-break",
    "keep-together",
    "minutes-signatures",
    "minutes-subtitle",
    *COLUMN_CLASSES,
    *PARTY_CLASSES,
}


@dataclass
class Node:
    tag: str
    classes: frozenset = frozenset()
    children: list = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """The fragment as a tree of ``Node`` and text, forgiving unclosed tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        classes = frozenset((dict(attrs).get("class") or "").split())
        node = Node(tag, classes)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _prune(node: Node) -> Node:
    """``node`` without what a printed record leaves out (charts, buttons, …)."""
    kept = []
    for child in node.children:
        if isinstance(child, str):
            kept.append(child)
        elif child.tag not in DROPPED and not child.classes & DROPPED_CLASSES:
            kept.append(_prune(child))
    return Node(node.tag, node.classes, kept)


def parse(html: str) -> Node:
    """The fragment as a tree, without what a printed record leaves out."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _prune(builder.root)


def _find_record(node: Node) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == "article" and "printed-record" in child.classes:
                return child
            found = _find_record(child)
            if found is not None:
                return found
    return None


def printed_record(page: str) -> str:
    """The ``<article class="printed-record">`` of a rendered page, as HTML.

    Raises ``ValueError`` when the page has none: a template lost its mark.
    """
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    found = _find_record(builder.root)
    if found is None:
        raise ValueError('The page has no <article class="printed-record">.')
    return to_html(found)


def _elements(node: Node) -> list[Node]:
    return [child for child in node.children if isinstance(child, Node)]


def _is_columns(node: Node) -> bool:
    return bool(node.classes & COLUMN_CLASSES) and len(_elements(node)) > 1


def _widths(node: Node) -> list[float]:
    """Each column's share of the line, from ``col-N`` classes or equal."""
    columns = _elements(node)
    spans = []
    for column in columns:
        span = next(
            (
                int(match[1])
                for name in column.classes
                if (match := re.fullmatch(r"(?:print-)?col-(\d+)", name))
            ),
            None,
        )
        spans.append(span)
    if all(spans):
        total = sum(spans)
        return [span / total for span in spans]
    return [1 / len(columns)] * len(columns)


# --- Back to HTML, for the PDF -----------------------------------------------------


def to_html(node: Node) -> str:
    """``node`` as HTML again: only the subset, its classes, escaped text."""
    parts = []
    _write_html(node, parts)
    return "".join(parts)


def _write_html(node: Node | str, parts: list[str]) -> None:
    if isinstance(node, str):
        parts.append(escape(node, quote=False))
        return
    if node.tag == "root":
        for child in node.children:
            _write_html(child, parts)
        return
    tag = node.tag if node.tag in BLOCKS or node.tag in INLINE else "span"
    classes = _kept_classes(node)
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    if _is_columns(node):
        attributes = f' class="{" ".join([*classes, "print-columns"])}"'
        parts.append(f"<div{attributes}>")
        for column, width in zip(_elements(node), _widths(node), strict=True):
            names = " ".join(["print-column", *_kept_classes(column)])
            parts.append(f'<div class="{names}" style="width: {width * 100:.1f}%">')
            for child in column.children:
                _write_html(child, parts)
            parts.append("</div>")
        parts.append("</div>")
        return
    if any(name.endswith("signature-space") for name in node.classes):
        attributes = ' class="signature-space"'
    if tag == "br":
        parts.append("<br>")
        return
    parts.append(f"<{tag}{attributes}>")
    for child in node.children:
        _write_html(child, parts)
    parts.append(f"</{tag}>")


def _kept_classes(node: Node) -> list[str]:
    return sorted(
        name
        for name in node.classes
        if name in ALLOWED_CLASSES or re.fullmatch(r"(?:print-)?col-\d+", name)
    )


INLINE = {"span", "strong", "b", "em", "i", "u", "a", "br", "small", "abbr", "time"}


def record_pdf(html: str) -> bytes:
    """The record as a PDF (A4, fonts embedded), from its printable HTML fragment.

    The fragment is read as ``record_docx`` reads it (the subset above), laid
    out with ``static/css/record.css``; nothing is fetched from outside the
    static files.
    """
    # Imported here: Pango loads with it, and only a PDF download needs it.
    from weasyprint import CSS, HTML

    body = to_html(parse(html))
    document = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head>'
        f"<body>{body}</body></html>"
    )
    fetcher = _static_fetcher()
    stylesheet = Path(finders.find(STYLESHEET))
    css = CSS(
        string=stylesheet.read_text(encoding="utf-8"),
        base_url=stylesheet.parent.as_uri() + "/",
        url_fetcher=fetcher,
    )
    return HTML(
        string=document, base_url=stylesheet.parent.as_uri() + "/", url_fetcher=fetcher
    ).write_pdf(stylesheets=[css])


def _static_fetcher():
    """A WeasyPrint fetcher that reads Chibo's own static files and refuses anything else."""
    from weasyprint.urls import URLFetcher

    root = Path(finders.find(STYLESHEET)).parents[1].resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if path.is_relative_to(root):
                    return super().fetch(url, headers)
            raise ValueError(f"A printed record fetches nothing from outside: {url}")

    return StaticOnly()


# --- The Word document ---------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    upper: bool = False
    size: float = BODY_PT
    align: str | None = None
    level: int = 0
    hanging: bool = False  # a list item's first line: its number or dash hangs out
    body: bool = True  # a paragraph of the body: justified, first line indented


def _style_of(node: Node, style: _Style) -> _Style:
    classes = node.classes
    changes = {}
    if node.tag in {"strong", "b", "th", "h1", "h2", "h3", "h4"} or "fw-bold" in classes:
        changes["bold"] = True
    if node.tag in {"em", "i"} or "fst-italic" in classes:
        changes["italic"] = True
    if node.tag == "u" or "text-decoration-underline" in classes:
        changes["underline"] = True
    if "text-uppercase" in classes:
        changes["upper"] = True
    if "small" in classes or node.tag == "small":
        changes["size"] = SMALL_PT
    if node.tag == "h1":
        changes.update(size=TITLE_PT, align="center", body=False)
    if node.tag in {"h2", "h3", "h4"}:
        changes["body"] = False
    if node.tag == "h2":
        changes["upper"] = True
    if "report-subtitle" in classes:
        changes["size"] = BODY_PT
    if classes & PARTY_CLASSES:
        changes.update(size=TITLE_PT, bold=True)
    if "text-center" in classes or "minutes-subtitle" in classes:
        changes["align"] = "center"
    if "minutes-subtitle" in classes:
        changes["body"] = False
    if "text-end" in classes:
        changes["align"] = "right"
    return replace(style, **changes) if changes else style


class _WordWriter:
    """Writes the tree into a python-docx container (the document, or a table cell)."""

    def __init__(self, container, *, first_paragraph=None):
        self.container = container
        self.paragraph = None
        self.unused = first_paragraph  # a cell's own empty paragraph, used first
        self.space_before = False

    def new_paragraph(self, style: _Style):

        if self.unused is not None:
            paragraph, self.unused = self.unused, None
        else:
            paragraph = self.container.add_paragraph()
        layout = paragraph.paragraph_format
        layout.space_after = Pt(6 if style.body else 0)
        layout.space_before = Pt(0)
        alignments = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        if style.align:
            paragraph.alignment = alignments[style.align]
        elif style.body and style.level == 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            layout.first_line_indent = Cm(1.27)
        if style.level:
            # A hanging indent: the number or dash out, the lines aligned after it.
            layout.left_indent = Cm(0.75 * style.level + 0.5)
            layout.first_line_indent = Cm(-0.5 if style.hanging else 0)
            if not style.align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self.paragraph = paragraph
        self.space_before = False
        return paragraph

    def end_paragraph(self):
        self.paragraph = None

    def text(self, text: str, style: _Style):
        text = re.sub(r"\s+", " ", text)
        if not text.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self.new_paragraph(style)
            text = text.lstrip()
        elif text.startswith(" ") and self._ends_with_space():
            text = text.lstrip()
        if text:
            self.run(text.upper() if style.upper else text, style)

    def _ends_with_space(self) -> bool:
        runs = self.paragraph.runs
        return not runs or runs[-1].text.endswith((" ", "\n"))

    def run(self, text: str, style: _Style):

        run = self.paragraph.add_run(text)
        run.bold = style.bold or None
        run.italic = style.italic or None
        run.underline = style.underline or None
        run.font.size = Pt(style.size)
        return run

    def line_break(self, style: _Style):
        if self.paragraph is None:
            self.new_paragraph(style)
        else:
            self.paragraph.add_run().add_break()

    # Blocks

    def block(self, node: Node, style: _Style):
        self.end_paragraph()
        if "page-break" in node.classes:
            self.new_paragraph(replace(style, body=False)).add_run().add_break(WD_BREAK.PAGE)
            self.end_paragraph()
            return
        if any(name.endswith("signature-space") for name in node.classes):
            for _ in range(3):
                self.new_paragraph(replace(style, body=False))
            self.end_paragraph()
            return
        if _is_columns(node):
            self.columns(node, style)
        elif node.tag == "table":
            self.table(node, style)
        elif node.tag in {"ol", "ul"}:
            self.list(node, style)
        else:
            if node.tag in {"h1", "h2", "h3", "h4"}:
                self.new_paragraph(style).paragraph_format.space_before = _pt(
                    12 if node.tag == "h1" else 6
                )
            self.flow(node, style)
            if node.tag == "h1":
                self.end_paragraph()
                rule = self.new_paragraph(replace(style, bold=False))
                self.run("-----", replace(style, bold=False))
                rule.paragraph_format.space_after = _pt(6)
            if node.classes & PARTY_CLASSES and self.paragraph is not None:
                _rule_under(self.paragraph)
        self.end_paragraph()

    def flow(self, node: Node, style: _Style):
        """The children of ``node``: text into paragraphs, blocks each on their own."""
        for child in node.children:
            if isinstance(child, str):
                self.text(child, style)
            elif child.tag == "br":
                self.line_break(style)
            elif child.tag in BLOCKS:
                self.block(child, _style_of(child, style))
            else:
                self.flow(child, _style_of(child, style))

    def list(self, node: Node, style: _Style):
        for number, item in enumerate(_elements(node), start=1):
            marker = f"{number}. " if node.tag == "ol" else "- "
            item_style = replace(_style_of(item, style), level=style.level + 1, body=False)
            self.end_paragraph()
            paragraph = self.new_paragraph(replace(item_style, hanging=True))
            paragraph.paragraph_format.space_after = _pt(3)
            self.run(marker, replace(item_style, bold=False, italic=False))
            self.flow(item, item_style)
            self.end_paragraph()

    def columns(self, node: Node, style: _Style):
        columns = _elements(node)
        table = self.container.add_table(rows=1, cols=len(columns))
        _no_borders(table)
        width = _text_width_cm()
        table.autofit = False
        for index, (cell, column, share) in enumerate(
            zip(table.rows[0].cells, columns, _widths(node), strict=True)
        ):
            # Word reads the cell's width, LibreOffice the grid's: set both.
            table.columns[index].width = _cm(width * share)
            _set_width(cell, width * share)
            writer = _WordWriter(cell, first_paragraph=cell.paragraphs[0])
            column_style = replace(_style_of(column, style), body=False, level=0)
            writer.flow(column, column_style)
        self.paragraph = None

    def table(self, node: Node, style: _Style):
        rows = []
        self._rows(node, rows)
        if not rows:
            return
        width = max(len(_elements(row)) for row in rows)
        table = self.container.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        if len(_elements(rows[0])) == width:
            # Widths from the first row's col-N classes, else equal.
            for index, share in enumerate(_widths(rows[0])):
                table.columns[index].width = _cm(_text_width_cm() * share)
                for cell in table.columns[index].cells:
                    _set_width(cell, _text_width_cm() * share)
        for row_node, row in zip(rows, table.rows, strict=True):
            if "signing-blank" in row_node.classes:
                row.height = _cm(0.9)
            elif any(
                cell.tag == "td" and "signing-signature" in cell.classes
                for cell in _elements(row_node)
            ):
                row.height = _cm(0.8)
            for cell_node, cell in zip(_elements(row_node), row.cells, strict=False):
                writer = _WordWriter(cell, first_paragraph=cell.paragraphs[0])
                cell_style = replace(
                    _style_of(cell_node, style), body=False, level=0, size=TABLE_PT
                )
                if cell_node.tag == "th":
                    cell_style = replace(cell_style, align="center")
                writer.flow(cell_node, cell_style)
        self.paragraph = None
        # A paragraph between two tables, or Word joins them into one.
        self.new_paragraph(replace(style, body=False))
        self.end_paragraph()

    def _rows(self, node: Node, rows: list):
        for child in _elements(node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in {"thead", "tbody", "tfoot"}:
                self._rows(child, rows)


def _pt(points):
    return Pt(points)


def _cm(cm):
    return Cm(cm)


def _text_width_cm() -> float:
    return (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10


def _set_width(cell, cm: float):
    cell.width = _cm(cm)


# What the WordprocessingML schema puts after a table's and a paragraph's borders:
# a border element goes before them, or Word refuses the file.
AFTER_TABLE_BORDERS = (
    *("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
    *("w:tblCaption", "w:tblDescription", "w:tblPrChange"),
)
AFTER_PARAGRAPH_BORDERS = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap"),
    *("w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi"),
    *("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing"),
    *("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment"),
    *("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr"),
    "w:pPrChange",
)


def _no_borders(table):

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *AFTER_TABLE_BORDERS)


def _rule_under(paragraph):
    """A line under "ĐẢNG CỘNG SẢN VIỆT NAM", as long as the title (HD 36, 1)."""

    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    properties.insert_element_before(borders, *AFTER_PARAGRAPH_BORDERS)
    # The column is a little wider than the title: indent the line to its length.
    paragraph.paragraph_format.left_indent = _cm(0.3)
    paragraph.paragraph_format.right_indent = _cm(0.3)


def record_docx(html: str, *, title: str) -> bytes:
    """The record as a Word document (.docx), from its printable HTML fragment.

    A4, the margins and fonts of Hướng dẫn 36-HD/VPTW (Times New Roman named:
    LibreOffice shows it in the metric-compatible Liberation Serif where Times
    is not installed); the heading and the signature as borderless two-column
    tables. ``title`` is the file's title in its properties.
    """

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.title = title
    document.core_properties.language = "vi-VN"
    _page_numbers(section)

    # The default document holds one empty paragraph: write into it first.
    body = document.paragraphs[0] if document.paragraphs else None
    writer = _WordWriter(document, first_paragraph=body)
    writer.flow(parse(html), _Style())
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


def _page_numbers(section):
    """From the second page, its number at the top, centred (HD 36): none on the first."""

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
