"""manage.py recount: a clean database reports nothing; a tampered figure is found and repaired."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sessions.models import Attendance, MemberYearFigures, SessionFigures
from tests.factories import at, make_member, make_session, record

U = Attendance.Status.UNEXCUSED


@pytest.fixture
def recorded(groups, now):
    absent = make_member(groups[1], "Tạ Văn Vắng")
    make_member(groups[0], "Lò Thị Có")
    first = make_session(start=at(2020, 3, 12))
    second = make_session(start=at(2020, 4, 9))
    record(first, {absent: U})
    record(second, {absent: U})
    return first, absent


def recount(*args):
    out = StringIO()
    call_command("recount", *args, stdout=out)
    return out.getvalue()


def test_a_clean_database_reports_nothing(recorded):
    assert recount() == "Số liệu đã lưu khớp với số đếm lại từ điểm danh.\n"


def test_a_tampered_figure_is_found_then_repaired(recorded):
    session, absent = recorded
    SessionFigures.objects.filter(session=session).update(present=0, unexcused=2)
    MemberYearFigures.objects.filter(member=absent, year=2020).update(longest_run=9)
    with pytest.raises(CommandError, match="3 số liệu đã lưu khác"):
        recount()
    # Nothing written in check mode: still wrong.
    assert SessionFigures.objects.get(session=session).present == 0
    fixed = recount("--fix")
    assert f"kỳ sinh hoạt #{session.pk} “{session}”, năm 2020: present 0 → 1" in fixed
    assert f"kỳ sinh hoạt #{session.pk} “{session}”, năm 2020: unexcused 2 → 1" in fixed
    assert f"đảng viên #{absent.pk} Tạ Văn Vắng, năm 2020: longest_run 9 → 2" in fixed
    assert "Đã sửa 3 số liệu" in fixed
    assert recount().startswith("Số liệu đã lưu khớp")
    assert SessionFigures.objects.get(session=session).present == 1


def test_a_missing_row_and_a_stray_one_are_put_right(recorded, groups):
    _session, absent = recorded
    MemberYearFigures.objects.filter(member=absent, year=2020).delete()
    stray = make_member(groups[0], "Không dự")
    MemberYearFigures.objects.create(cell=stray.cell, member=stray, year=2020, expected=0)
    with pytest.raises(CommandError):
        recount()
    fixed = recount("--fix")
    assert f"đảng viên #{absent.pk} Tạ Văn Vắng, năm 2020: unexcused — → 2" in fixed
    assert f"đảng viên #{stray.pk} Không dự, năm 2020: expected 0 → —" in fixed
    assert not MemberYearFigures.objects.filter(member=stray).exists()
    assert MemberYearFigures.objects.get(member=absent, year=2020).months_unexcused == 2


def test_a_row_changed_in_the_admin_keeps_the_figures(recorded, client, django_user_model):
    session, absent = recorded
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.org", "x")
    client.force_login(admin)
    row = Attendance.objects.get(session=session, member=absent)
    response = client.post(
        reverse("admin:thematic_attendance_change", args=[row.pk]),
        {
            "session": session.pk,
            "member": absent.pk,
            "group": row.group_id,
            "status": "excused",
            "reason": "Ốm",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    assert SessionFigures.objects.get(session=session).excused == 1
    assert MemberYearFigures.objects.get(member=absent, year=2020).unexcused == 1
    assert recount().startswith("Số liệu đã lưu khớp")
    response = client.post(
        reverse("admin:thematic_attendance_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert SessionFigures.objects.get(session=session).expected == 1
    assert recount().startswith("Số liệu đã lưu khớp")
