"""The annual report's sections: the figures Chibo writes, the assessment and direction
the secretary writes, printed in the Party's order and frozen in the copy sent up."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import strip_tags

from members.models import Organisation, single_cell
from sessions.models import ReportText, Submission
from sessions.reports.sending import send_report
from tests.builders import load_demo_at
from tests.factories import at, make_plan, make_session, record

pytestmark = pytest.mark.django_db

DOTS = "……………………"


def edit_url(year=2020):
    return reverse("sessions:report_text", args=[year])


def report_url(year=2020):
    return reverse("sessions:annual_report", args=[year])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.text))


def sections(**fields):
    data = {"strengths": "", "weaknesses": "", "causes": "", "direction": ""}
    data.update(fields)
    return data


@pytest.fixture
def year_2020(groups, now):
    plan = make_plan(2020)
    record(make_session(plan, at(2020, 3, 12)))
    return plan


def test_the_secretary_writes_the_sections_and_the_report_prints_them(client, secretary, year_2020):
    client.force_login(secretary)
    assert client.get(edit_url()).status_code == 200
    response = client.post(
        edit_url(),
        sections(
            strengths="Tổ chức đủ các kỳ theo kế hoạch.",
            weaknesses="Còn đảng viên ít phát biểu.",
            causes="Chưa phân công tham luận trước.",
            direction="Phân công tham luận trước mỗi kỳ.",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == report_url()
    text = ReportText.objects.get()
    assert (text.cell, text.year) == (single_cell(), 2020)
    assert text.history.count() == 1

    page = text_of(client.get(report_url()))
    order = [
        "I. Kết quả thực hiện",
        "II. Đánh giá chung",
        "1. Ưu điểm Tổ chức đủ các kỳ theo kế hoạch.",
        "2. Hạn chế Còn đảng viên ít phát biểu.",
        "3. Nguyên nhân Chưa phân công tham luận trước.",
        "III. Phương hướng, nhiệm vụ năm 2021 Phân công tham luận trước mỗi kỳ.",
    ]
    places = [page.index(part) for part in order]
    assert places == sorted(places)
    assert DOTS not in page


def test_editing_again_changes_the_same_row(client, secretary, year_2020):
    client.force_login(secretary)
    client.post(edit_url(), sections(strengths="Lần đầu."))
    client.post(edit_url(), sections(strengths="Lần sau."))
    assert list(ReportText.objects.values_list("strengths", flat=True)) == ["Lần sau."]
    assert "Lần sau." in client.get(edit_url()).text


def test_empty_sections_are_dotted_lines_to_fill_by_hand(client, secretary, year_2020):
    client.force_login(secretary)
    client.post(edit_url(), sections(direction="Duy trì mỗi quý một kỳ."))
    page = text_of(client.get(report_url()))
    for heading in ("1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân"):
        assert f"{heading} {DOTS}" in page
    assert "III. Phương hướng, nhiệm vụ năm 2021 Duy trì mỗi quý một kỳ." in page


def test_a_year_without_sections_prints_every_heading_dotted(client, leader, year_2020):
    client.force_login(leader)
    page = text_of(client.get(report_url()))
    assert "II. Đánh giá chung 1. Ưu điểm " + DOTS in page
    assert "III. Phương hướng, nhiệm vụ năm 2021 " + DOTS in page


def test_lines_the_secretary_typed_stay_paragraphs(client, secretary, year_2020):
    client.force_login(secretary)
    client.post(edit_url(), sections(strengths="Một.\n\nHai.\nBa <b>.", weaknesses="Bốn."))
    html = client.get(report_url()).text
    # Each line typed is a paragraph of the document, escaped; blank lines drop.
    assert "<p>Một.</p><p>Hai.</p><p>Ba &lt;b&gt;.</p>" in html
    assert "<p>Bốn.</p>" in html


def test_a_leader_reads_the_report_but_does_not_edit(client, leader, year_2020):
    client.force_login(leader)
    assert client.get(report_url()).status_code == 200
    assert edit_url() not in client.get(report_url()).text
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), sections(strengths="Không được.")).status_code == 403
    assert not ReportText.objects.exists()


def test_the_report_links_the_secretary_to_the_sections(client, secretary, year_2020):
    client.force_login(secretary)
    assert edit_url() in client.get(report_url()).text


def test_a_member_cannot_edit(client, member, year_2020):
    client.force_login(member)
    assert client.get(edit_url()).status_code == 403


def test_a_bad_year_is_not_found(client, secretary):
    client.force_login(secretary)
    assert client.get("/sessions/report/1000/edit/").status_code == 404


def test_each_cell_keeps_its_own_sections(client, secretary, year_2020):
    other = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học Kim Đồng",
        kind=Organisation.Kind.CELL,
        parent=single_cell().parent,
    )
    ReportText.objects.create(cell=other, year=2020, strengths="Của chi bộ khác.")
    client.force_login(secretary)
    assert "Của chi bộ khác." not in client.get(edit_url()).text
    assert "Của chi bộ khác." not in client.get(report_url()).text
    client.post(edit_url(), sections(strengths="Của chi bộ mình."))
    assert ReportText.objects.get(cell=other).strengths == "Của chi bộ khác."
    assert ReportText.objects.get(cell=single_cell()).strengths == "Của chi bộ mình."


def test_the_copy_sent_up_keeps_the_sections_as_they_were(secretary, year_2020):
    cell = single_cell()
    ReportText.objects.create(
        cell=cell, year=2020, strengths="Đủ kỳ theo kế hoạch.", direction="Mỗi quý một kỳ."
    )
    sent = send_report(cell=cell, year=2020, user=secretary, now=at(2020, 12, 14, 9))
    body = re.sub(r"\s+", " ", strip_tags(sent.body))
    assert "1. Ưu điểm Đủ kỳ theo kế hoạch." in body
    assert "2. Hạn chế " + DOTS in body
    assert "III. Phương hướng, nhiệm vụ năm 2021 Mỗi quý một kỳ." in body

    ReportText.objects.filter(cell=cell).update(strengths="Viết lại sau khi gửi.")
    sent = Submission.objects.get(pk=sent.pk)
    assert "Đủ kỳ theo kế hoạch." in sent.body
    assert "Viết lại sau khi gửi." not in sent.body


def test_the_printed_sections_use_only_the_tags_of_the_document(secretary, year_2020):
    """The .docx/PDF writer reads the printed part: its sections stay plain tags."""
    ReportText.objects.create(cell=single_cell(), year=2020, strengths="Một.\n\nHai.")
    sent = send_report(cell=single_cell(), year=2020, user=secretary, now=at(2020, 12, 14, 9))
    start = sent.body.index("II. ")
    tags = set(re.findall(r"<\s*([a-z0-9]+)", sent.body[start:]))
    allowed = {"header", "footer", "div", "p", "h1", "h2", "h3", "ol", "ul", "li", "table"}
    allowed |= {"tr", "th", "td", "strong", "b", "em", "i", "br", "span", "article"}
    assert tags <= allowed, tags - allowed


def test_the_demos_2020_report_has_its_assessment_and_direction(client, monkeypatch):
    load_demo_at(monkeypatch)
    client.force_login(User.objects.get(username="leader"))
    page = text_of(client.get(report_url()))
    assert "1. Ưu điểm Chi ủy xây dựng kế hoạch sinh hoạt chuyên đề sớm" in page
    assert "III. Phương hướng, nhiệm vụ năm 2021 Xây dựng kế hoạch" in page
    assert DOTS not in page
    sent = Submission.objects.of_cell(single_cell()).get(kind="report", year=2020)
    assert "Nghị quyết Đại hội XIII" in sent.body
