"""Every printed record as a Word document and a server PDF, in the Party's format.

The demo cell (tests.builders.load_demo_at) gives each record real content;
each file is read back: the .docx with python-docx, the PDF with poppler's
pdftotext and pdffonts, and the .docx once more through LibreOffice headless,
as an office would open it. A missing tool skips on a developer's machine
and fails in CI (CI=true), where .ci/run installs them.
"""

import os
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from docx import Document

from chibo.lib import printing
from members.models import Member, Organisation, single_cell
from sessions.models import Submission, ThematicSession
from tests.builders import load_demo_at
from tests.factories import make_plan, make_session

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUPERIOR = "Đảng ủy Khối cơ quan"


def needs(*tools: str, package: str):
    """Skip where ``tools`` are missing on a developer's machine; in CI, run and fail."""
    missing = [tool for tool in tools if not shutil.which(tool)]
    return pytest.mark.skipif(
        bool(missing) and not os.environ.get("CI"),
        reason=f"{', '.join(missing)} not installed (apt-get install {package})",
    )


needs_poppler = needs("pdftotext", "pdffonts", "pdfinfo", package="poppler-utils")
needs_soffice = needs("soffice", package="libreoffice-writer-nogui")


@pytest.fixture
def demo(client, monkeypatch):
    """The demo, its cell under a named superior committee, the secretary signed in."""
    load_demo_at(monkeypatch)
    Organisation.objects.filter(pk=demo_cell().pk).update(superior_name=SUPERIOR)
    client.force_login(User.objects.get(username="secretary"))
    return client


def demo_cell():
    return Member.objects.get(user__username="secretary").cell


def held(by_group=False):
    scope = ThematicSession.Scope.GROUPS if by_group else ThematicSession.Scope.CELL
    sessions = ThematicSession.objects.of_cell(demo_cell()).filter(
        status=ThematicSession.Status.HELD, scope=scope, thematic=True
    )
    return sessions.order_by("start").first()


def docx_text(body: bytes) -> str:
    """Every paragraph of the document, tables included, as one line of text."""
    document = Document(BytesIO(body))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(paragraph.text for paragraph in cell.paragraphs)
    return re.sub(r"\s+", " ", " ".join(parts))


def run(name: str, *args: str, **options) -> str:
    """Run a tool found on the PATH (poppler's, LibreOffice) and return what it wrote."""
    path = shutil.which(name)
    assert path, f"{name} is not installed: .ci/run installs it"
    command = [path, *args]
    result = subprocess.run(  # noqa: S603 - a known tool on files this test wrote
        command, capture_output=True, text=True, check=True, **options
    )
    return result.stdout


def pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(body)
    text = run("pdftotext", "-layout", str(path), "-")
    return re.sub(r"\s+", " ", text)


def pdf_fonts(body: bytes, tmp_path) -> list[list[str]]:
    """pdffonts' rows: name, type, encoding, emb, sub, uni, object, id."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(body)
    lines = run("pdffonts", str(path)).splitlines()
    return [line.split() for line in lines[2:]]


def download(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, response.content[:300]
    return response


HEADING = [SUPERIOR.upper(), "CHI BỘ", "*", "ĐẢNG CỘNG SẢN VIỆT NAM"]


def test_the_report_docx_states_the_heading_number_date_signature_and_2020_figures(demo):
    response = download(demo, "sessions:report_docx", 2020)
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2020.docx"'
    text = docx_text(response.content)
    for line in HEADING:
        assert line in text
    # The demo sent its 2020 report: the page carries that sending's number and date.
    assert "Số 2-BC/CB" in text
    assert "Lạng Sơn, ngày 14 tháng 12 năm 2020" in text
    assert "BÁO CÁO Kết quả sinh hoạt chuyên đề năm 2020" in text
    assert "Trong năm, chi bộ có 30 đảng viên, sinh hoạt ở 4 tổ Đảng." in text
    assert "trong đó có 1 kỳ sinh hoạt theo tổ Đảng." in text
    assert "đã tổ chức 7 kỳ sinh hoạt chuyên đề" in text
    assert "Chi bộ tổ chức 2 hội thi theo hình thức sân khấu hóa" in text
    assert "Nơi nhận:" in text
    assert "T/M CHI ỦY BÍ THƯ Nông Thị Hương" in text


def test_the_docx_is_a4_with_the_margins_and_font_of_the_guidance(demo):
    document = Document(BytesIO(download(demo, "sessions:report_docx", 2020).content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    # The heading is a table without borders, two columns side by side.
    heading = document.tables[0]
    assert len(heading.columns) == 2
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in heading.cell(0, 1).text
    properties = heading._tbl.tblPr.xml
    assert 'w:val="nil"' in properties
    # In the schema's order, as Word requires: borders before the layout and the look.
    assert properties.index("w:tblBorders") < properties.index("w:tblLook")


@needs_poppler
def test_the_report_pdf_has_its_fonts_embedded_and_says_the_heading(demo, tmp_path):
    response = download(demo, "sessions:report_pdf", 2020)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2020.pdf"'
    assert response.content.startswith(b"%PDF-")
    fonts = pdf_fonts(response.content, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts
    assert any("Serif" in row[0] or "Times" in row[0] for row in fonts)
    text = pdf_text(response.content, tmp_path)
    for line in HEADING:
        assert line in text
    assert "Số 2-BC/CB" in text
    assert "30 đảng viên, sinh hoạt ở 4 tổ Đảng" in text
    assert "T/M CHI ỦY" in text


def test_the_plan_sent_carries_its_number_and_date(demo, tmp_path):
    response = download(demo, "sessions:plan_docx", 2020)
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-2020.docx"'
    text = docx_text(response.content)
    for line in HEADING:
        assert line in text
    assert "Số 1-KH/CB" in text
    assert "Lạng Sơn, ngày 13 tháng 01 năm 2020" in text
    assert "KẾ HOẠCH Sinh hoạt chuyên đề năm 2020" in text
    assert "T/M CHI ỦY BÍ THƯ Nông Thị Hương" in text


def test_a_plan_not_sent_has_a_blank_number_and_date_and_a_cell_without_committee_signs(
    client, secretary
):
    """Unissued: "Số …-KH/CB" and a date line to fill in; T/M CHI BỘ from the profile."""
    cell = single_cell()
    cell.has_committee = False
    cell.place_name = "Hà Nội"
    cell.save()
    make_session(plan=make_plan(2021), start=None, topic="Chuyên đề chưa gửi")
    client.force_login(secretary)
    text = docx_text(download(client, "sessions:plan_docx", 2021).content)
    assert "Số …-KH/CB" in text
    assert "Hà Nội, ngày … tháng … năm ……" in text
    assert "T/M CHI BỘ" in text and "T/M CHI ỦY" not in text
    page = client.get(reverse("sessions:annual_report", args=[2021])).text
    assert "Số …-BC/CB" in page
    assert "ngày … tháng … năm ……" in page


@needs_poppler
def test_the_minutes_are_dated_by_the_meeting_and_read_the_same_in_both_files(demo, tmp_path):
    session = held()
    response = download(demo, "sessions:minutes_docx", session.pk)
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban-2020-01-16.docx"'
    text = docx_text(response.content)
    pdf = pdf_text(download(demo, "sessions:minutes_pdf", session.pk).content, tmp_path)
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Lạng Sơn, ngày 16 tháng 01 năm 2020", "BIÊN BẢN"):
        assert words in text
        assert words in pdf
    assert session.topic.split()[0] in text


@needs_poppler
def test_the_signing_sheet_lists_members_by_group_with_the_session_day(demo, tmp_path):
    session = held(by_group=True)
    response = download(demo, "sessions:signing_sheet_docx", session.pk)
    assert response["Content-Disposition"] == (
        'attachment; filename="danh-sach-ky-ten-2020-05-14.docx"'
    )
    text = docx_text(response.content)
    for line in HEADING:
        assert line in text
    assert "Lạng Sơn, ngày 14 tháng 05 năm 2020" in text
    assert "Ký tên" in text and "KHÁCH MỜI" in text.upper()
    assert "Lộc Văn Bình" in text
    pdf = pdf_text(download(demo, "sessions:signing_sheet_pdf", session.pk).content, tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf and "Lộc Văn Bình" in pdf


@needs_poppler
def test_a_sent_document_is_the_frozen_body_never_recounted(demo, tmp_path):
    """The PDF a committee gets is what was sent, though the cell was renamed since."""
    cell = demo_cell()
    sent = Submission.objects.of_cell(cell).filter(kind=Submission.Kind.REPORT, year=2020).last()
    Organisation.objects.filter(pk=cell.pk).update(name="Chi bộ Đổi Tên")
    response = download(demo, "sessions:sent_pdf", sent.pk)
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-2020-so-{sent.number}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    assert "Số 2-BC/CB" in text
    assert "ĐỔI TÊN" not in text
    docx = docx_text(download(demo, "sessions:sent_docx", sent.pk).content)
    assert "Số 2-BC/CB" in docx and "ĐỔI TÊN" not in docx
    assert "ĐỔI TÊN" in docx_text(download(demo, "sessions:report_docx", 2020).content)


def test_a_date_typed_by_hand_has_no_file(client, secretary):
    sent = Submission.objects.create(
        cell=single_cell(), kind="plan", year=2020, dated_on="2020-01-10", typed_by_hand=True
    )
    client.force_login(secretary)
    assert client.get(reverse("sessions:sent_pdf", args=[sent.pk])).status_code == 404


def test_a_member_gets_no_report_file(client, member):
    client.force_login(member)
    assert client.get(reverse("sessions:report_docx", args=[2020])).status_code == 403


# --- Opened as an office opens it ------------------------------------------------------


RECORDS = {
    "plan": lambda: ("sessions:plan_docx", 2020),
    "report": lambda: ("sessions:report_docx", 2020),
    "minutes": lambda: ("sessions:minutes_docx", held(by_group=True).pk),
    "signing_sheet": lambda: ("sessions:signing_sheet_docx", held(by_group=True).pk),
    "sent": lambda: (
        "sessions:sent_docx",
        Submission.objects.of_cell(demo_cell()).filter(typed_by_hand=False)[0].pk,
    ),
}


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("record", RECORDS)
def test_libreoffice_opens_the_docx_as_a4_pages(demo, tmp_path, record):
    name, arg = RECORDS[record]()
    source = tmp_path / f"{record}.docx"
    source.write_bytes(download(demo, name, arg).content)
    home = tmp_path / "home"
    home.mkdir()
    # Its own HOME: LibreOffice writes a profile there, and two at once must not share one.
    run(
        "soffice",
        *("--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)),
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    info = run("pdfinfo", str(tmp_path / f"{record}.pdf"))
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 1
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595\.\d* x 842", info), info
    text = pdf_text((tmp_path / f"{record}.pdf").read_bytes(), tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text


# --- The fragment and what it may use ---------------------------------------------------


def test_only_the_subset_is_kept_and_print_hidden_parts_are_left_out():
    html = (
        '<article class="printed-record x"><p class="fw-bold">Một <a href="/x">hai</a></p>'
        '<div class="d-print-none">Nút</div><script>alert(1)</script>'
        "<figure><svg><text>Biểu đồ</text></svg></figure><custom>ba</custom></article>"
    )
    kept = printing.to_html(printing.parse(html))
    assert "Một" in kept and "hai" in kept and "ba" in kept
    assert "Nút" not in kept and "alert" not in kept and "Biểu đồ" not in kept
    assert "href" not in kept and 'class="x' not in kept
    page = f"<html><body><nav>Menu</nav>{html}</body></html>"
    assert "Menu" not in printing.printed_record(page)
    with pytest.raises(ValueError):
        printing.printed_record("<main>no record</main>")


def test_the_pdf_fetches_nothing_from_outside():
    fetcher = printing._static_fetcher()
    for url in ("http://example.org/a.png", "https://example.org/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    body = printing.record_pdf('<article><p>Xin chào</p><img src="http://example.org/a.png">')
    assert body.startswith(b"%PDF-")


def test_another_cells_record_is_not_found(client, secretary):
    other = Organisation.objects.create(
        name="Chi bộ khác", kind=Organisation.Kind.CELL, parent=single_cell().parent
    )
    session = make_session(plan=make_plan(2020, cell=other), status="held")
    client.force_login(secretary)
    for name in ("sessions:minutes_pdf", "sessions:signing_sheet_docx"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404


# The demo's 2020 as the seed wrote it: the same figures in the three formats.
SEED_2020 = [
    "Trong năm, chi bộ có 30 đảng viên, sinh hoạt ở 4 tổ Đảng.",
    "đã tổ chức 7 kỳ sinh hoạt chuyên đề",
    "trong đó có 1 kỳ sinh hoạt theo tổ Đảng",
    "Chi bộ tổ chức 2 hội thi theo hình thức sân khấu hóa",
    # Standing as of 2020: two of the members made full in 2021 were still
    # probationary at the end of 2020, though the member list says full today.
    "Cuối năm, 2 đồng chí là đảng viên dự bị.",
]


@needs_poppler
@pytest.mark.parametrize("fmt", ["page", "docx", "pdf"])
def test_the_demos_2020_report_states_the_seeds_figures_in_each_format(demo, tmp_path, fmt):
    if fmt == "page":
        page = download(demo, "sessions:annual_report", 2020).content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", printing.printed_record(page)))
    elif fmt == "docx":
        text = docx_text(download(demo, "sessions:report_docx", 2020).content)
    else:
        text = pdf_text(download(demo, "sessions:report_pdf", 2020).content, tmp_path)
    for sentence in SEED_2020:
        assert sentence in text, (fmt, sentence)
    made_full_since = Member.objects.of_cell(demo_cell()).filter(full_member_on__year=2021)
    assert {member.standing for member in made_full_since} == {Member.Standing.FULL}
    assert len(made_full_since) == 2
