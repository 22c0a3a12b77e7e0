"""The report's topics are quoted once, and an outside speaker is called a speaker."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import strip_tags

from chibo.lib.text import quoted, starts_with_words
from sessions.reports.annual_report import presenter
from tests.factories import at, make_member, make_plan, make_session, record


@pytest.mark.parametrize(
    ("topic", "printed"),
    [
        ("Học tập Chỉ thị 05-CT/TW", "“Học tập Chỉ thị 05-CT/TW”"),
        ("  Học tập Chỉ thị 05  ", "“Học tập Chỉ thị 05”"),
        ("Hội thi “Tìm hiểu lịch sử Đảng”", "Hội thi “Tìm hiểu lịch sử Đảng”"),
        ("“Rung chuông vàng”", "“Rung chuông vàng”"),
        ('Cuộc thi "Tuổi trẻ"', 'Cuộc thi "Tuổi trẻ"'),
        ("Cuộc thi «Tuổi trẻ»", "Cuộc thi «Tuổi trẻ»"),
        ("", ""),
    ],
)
def test_a_title_is_quoted_unless_it_has_its_own_quotes(topic, printed):
    assert quoted(topic) == printed


def test_the_template_filter_is_the_same_rule():
    template = Template("{% load chibo %}{{ topic|quoted }}")
    assert template.render(Context({"topic": "Học tập"})) == "“Học tập”"
    assert template.render(Context({"topic": "Thi “Ai”"})) == "Thi “Ai”"


def test_words_compared_without_case_or_diacritics():
    assert starts_with_words("Báo cáo viên Tỉnh ủy", "báo cáo viên")
    assert starts_with_words("BAO CAO VIEN Tinh uy", "báo cáo viên")
    assert not starts_with_words("Đồng chí Hoa", "báo cáo viên")


@pytest.mark.django_db
def test_the_presenter_is_a_preparer_or_a_speaker(groups):
    hoa = make_member(groups[0], "Phùng Thị Hoa")
    plan = make_plan(2020)
    assert presenter(make_session(plan, preparer=hoa)) == "người chuẩn bị: Phùng Thị Hoa"
    assert (
        presenter(make_session(plan, outside_speaker="Đồng chí Lê Văn Tám, Tỉnh ủy"))
        == "báo cáo viên: Đồng chí Lê Văn Tám, Tỉnh ủy"
    )
    assert (
        presenter(make_session(plan, outside_speaker="Báo cáo viên Ban Tuyên giáo Tỉnh ủy"))
        == "báo cáo viên Ban Tuyên giáo Tỉnh ủy"
    )
    assert presenter(make_session(plan)) == ""


@pytest.mark.django_db
def test_the_report_lists_topics_once_quoted_and_speakers_as_speakers(client, leader, now):
    plan = make_plan(2020)
    record(
        make_session(
            plan,
            at(2020, 3, 12, 8),
            topic="Hội thi “Tìm hiểu lịch sử Đảng”",
            outside_speaker="Đồng chí Lê Văn Tám",
        )
    )
    record(make_session(plan, at(2020, 4, 12, 8), topic="Học tập Chỉ thị 05"))
    make_session(plan, at(2020, 9, 12, 8), topic="Kỷ niệm “Ngày Quốc khánh”")
    client.force_login(leader)
    html = client.get(reverse("sessions:annual_report", args=[2020])).text
    page = re.sub(r"\s+", " ", strip_tags(html))
    assert "Ngày 12/03/2020: Hội thi “Tìm hiểu lịch sử Đảng” (" in page
    assert "báo cáo viên: Đồng chí Lê Văn Tám" in page
    assert "người chuẩn bị: Đồng chí Lê Văn Tám" not in page
    assert "Ngày 12/04/2020: “Học tập Chỉ thị 05” (" in page
    assert "12/09/2020: Kỷ niệm “Ngày Quốc khánh” —" in page
    assert "““" not in page and "””" not in page
