"""The removal rule over every meeting of the cell, and figures by kind of meeting."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from members.models import single_cell
from sessions import removal
from sessions.models import Attendance
from sessions.reports.summaries import kind_rows, year_glance, year_summary
from tests.factories import at, make_member, make_plan, make_session, record

pytestmark = pytest.mark.django_db
U, E = Attendance.Status.UNEXCUSED, Attendance.Status.EXCUSED


def regular(month, day=5):
    return make_session(
        make_plan(2020), at(2020, month, day, 14), topic="", thematic=False, regular=True
    )


def thematic(month, day=20, **fields):
    return make_session(make_plan(2020), at(2020, month, day, 8), **fields)


def flagged(year=2020):
    return [row.member for row in year_summary(year, cell=single_cell()).members_removal]


def test_unexcused_in_three_months_across_both_kinds_is_flagged(groups):
    tuan = make_member(groups[0], "Lương Văn Tuấn")
    record(regular(2), {tuan: U})
    record(thematic(5), {tuan: U})
    assert flagged() == []
    record(thematic(9, regular=True), {tuan: U})  # a combined meeting
    assert flagged() == [tuan]
    assert year_glance(2020, cell=single_cell()).members_removal == 1


def test_excused_absences_and_a_second_absence_in_a_month_do_not_add_a_month(groups):
    tuan = make_member(groups[0], "Lương Văn Tuấn")
    record(regular(2), {tuan: U})
    record(thematic(2, day=25), {tuan: U})  # February again
    record(regular(3), {tuan: E})
    record(regular(4), {tuan: U})
    row = next(r for r in year_summary(2020, cell=single_cell()).members if r.member == tuan)
    assert row.months_unexcused == 2
    assert not row.to_consider_removal


def test_a_combined_meeting_counts_once_together_and_in_each_kind(groups):
    tuan = make_member(groups[0], "Lương Văn Tuấn")
    record(regular(1), {tuan: U})
    record(thematic(3), {tuan: E})
    record(thematic(4, regular=True))
    regular_row, thematic_row, together = kind_rows(2020, cell=single_cell())
    assert (regular_row.held, thematic_row.held, together.held) == (2, 2, 3)
    assert (regular_row.figures.expected, regular_row.figures.unexcused) == (2, 1)
    assert (thematic_row.figures.expected, thematic_row.figures.excused) == (2, 1)
    assert (together.figures.expected, together.figures.present) == (3, 1)


def test_the_rule_of_the_year_comes_from_the_dated_setting(settings):
    settings.CHIBO_REMOVAL_RULES = [("2011-01-19", "dieu-le-2011")]
    assert removal.rule_of_year(2020).months == 3
    assert removal.rule_of_year(2005) is removal.DIEU_LE_2011  # before the first: the first
    settings.CHIBO_REMOVAL_RULES = [("2011-01-19", "khong-co")]
    with pytest.raises(ImproperlyConfigured):
        removal.rule_of_year(2020)


def test_the_summary_names_the_member_and_the_rule(client, leader, groups):
    tuan = make_member(groups[0], "Lương Văn Tuấn")
    for month in (2, 6, 10):
        record(regular(month), {tuan: U})
    client.force_login(leader)
    text = client.get(reverse("sessions:summary", args=[2020])).text
    assert "Đồng chí Lương Văn Tuấn vắng sinh hoạt không có lý do trong 3 tháng" in text
    assert "Điều lệ Đảng (2011), Điều 8, khoản 2" in text
    assert "Sinh hoạt chi bộ định kỳ" in text and "Cả hai (mỗi buổi một lần)" in text
    text = client.get(reverse("sessions:annual_report", args=[2020])).text
    assert "Chi bộ tổ chức 3/3 kỳ sinh hoạt chi bộ định kỳ" in text
    assert "chi bộ xem xét theo quy định về xóa tên" in text


def test_the_member_record_gives_each_kind(client, member, groups):
    tuan = member.member
    record(regular(2), {tuan: U})
    record(thematic(3))
    client.force_login(member)
    text = client.get(reverse("sessions:member_record", args=[tuan.pk, 2020])).text
    assert "Theo loại sinh hoạt" in text
    assert "Sinh hoạt chi bộ định kỳ tháng 2/2020" in text
    assert "0/1" in text and "1/1" in text  # regular: absent; thematic: present
    assert "1/2" in text
    assert dt.date(2020, 2, 5).strftime("%d/%m/%Y") in text


def test_the_export_gives_each_kind(client, leader, groups):
    from io import BytesIO

    from openpyxl import load_workbook

    tuan = make_member(groups[0], "Lương Văn Tuấn")
    record(regular(2), {tuan: U})
    record(thematic(3, regular=True))
    client.force_login(leader)
    response = client.get(reverse("sessions:export_xlsx", args=[2020]))
    sheet = load_workbook(BytesIO(response.content))["Tổng hợp"]
    rows = {row[0]: row[1:8] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # Two members (the leader and Tuấn) at each meeting; the combined one counted once.
    assert rows["Sinh hoạt chi bộ định kỳ"][:6] == (2, 2, 4, 3, 0, 1)
    assert rows["Sinh hoạt chuyên đề"][:4] == (1, 1, 2, 2)
    assert rows["Cả hai (mỗi buổi một lần)"][:4] == (2, 2, 4, 3)


def test_a_run_of_absences_across_new_year_is_one_run(groups):
    tuan = make_member(groups[0], "Lương Văn Tuấn")
    for month, year in ((10, 2019), (11, 2019), (12, 2019), (1, 2020), (2, 2020)):
        session = make_session(make_plan(year), at(year, month, 20, 8))
        record(session, {tuan: E} if (month, year) != (10, 2019) else {})
    rows_2019 = {r.member: r for r in year_summary(2019, cell=single_cell()).members}
    rows_2020 = {r.member: r for r in year_summary(2020, cell=single_cell()).members}
    assert rows_2019[tuan].longest_absence_run == 2
    # November to February: four in a row, flagged in the year the run reaches.
    assert rows_2020[tuan].longest_absence_run == 4
    assert rows_2020[tuan].too_many_in_a_row
