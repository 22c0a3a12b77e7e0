"""A failure in the middle of a save that writes several things leaves nothing half-written.

Each test lets a multi-part save through the page get part of the way — rows
written, files stored — then makes the next step fail, as a full disk or a
lost database connection would. The user gets the plain Vietnamese error page,
and the database and MEDIA_ROOT are exactly as before: no row, no history
row, no file.
"""

import importlib
import logging
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from simple_history import utils as history_utils

from members import services as member_services
from members.models import Member, Organisation, Role, single_cell
from sessions import services as session_services
from sessions.models import AnnualPlan, Attendance, GroupMeeting, Photo, ThematicSession
from tests.factories import (
    at,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
)
from tests.images import image_bytes
from tests.test_attendance_sheet import sheet

pytestmark = pytest.mark.django_db


class DiskFull(OSError):
    pass


@pytest.fixture
def client(secretary):
    client = Client(raise_request_exception=False)
    client.force_login(secretary)
    return client


def files_under(root):
    root = Path(root)
    return sorted(root.rglob("*")) if root.exists() else []


def history_rows():
    """Every historical row of the models a failed save could have touched."""
    return {
        model.__name__: model.history.count()
        for model in (Member, AnnualPlan, ThematicSession, GroupMeeting, Attendance)
    }


def fail_after(monkeypatch, target, name, calls=1):
    """Let ``target.name`` run ``calls`` times, then raise: the failure comes midway."""
    real = getattr(target, name)
    count = {"n": 0}

    def failing(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise DiskFull("No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)
    return count


def assert_error_page(response):
    assert response.status_code == 500
    text = response.content.decode()
    assert "Đã có lỗi xảy ra" in text
    assert "DiskFull" not in text and "Traceback" not in text


def test_attendance_sheet(client, groups, member, other_member, monkeypatch, now):
    """The session is claimed and marked held, new rows written; the update of old ones fails."""
    session = make_session(start=at(2020, 5, 19), status="held")
    Attendance.objects.create(session=session, member=member.member, group=groups[0])
    before_rows = list(Attendance.objects.values_list("member_id", "status"))
    before = history_rows()
    monkeypatch.setattr(session_services, "bulk_update_with_history", raising_writer())
    response = client.post(
        reverse("sessions:attendance", args=[session.pk]),
        sheet(session, statuses={"Lương Văn Tuấn": "unexcused"}, conclusion="Kết luận"),
    )
    assert_error_page(response)
    session.refresh_from_db()
    assert (session.attendance_version, session.conclusion) == (0, "")
    assert list(Attendance.objects.values_list("member_id", "status")) == before_rows
    assert history_rows() == before


def raising_writer():
    def write(*args, **kwargs):
        raise DiskFull("No space left on device")

    return write


def test_photo_upload_of_several_photos(client, settings, monkeypatch, now):
    """Two photos and a thumbnail are on disk when the third file cannot be written."""
    session = make_session(start=at(2020, 5, 19), status="held")
    saves = fail_after(monkeypatch, FileSystemStorage, "save", calls=3)
    data = {
        "images": [SimpleUploadedFile(f"anh-{n}.jpg", image_bytes()) for n in range(3)],
        "caption": "Ảnh",
    }
    response = client.post(reverse("sessions:photos", args=[session.pk]), data)
    assert_error_page(response)
    assert saves["n"] == 4  # three files were on disk when the fourth failed
    assert Photo.objects.count() == 0
    assert [path for path in files_under(settings.MEDIA_ROOT) if path.is_file()] == []


def test_photo_rows_failing_after_the_files_are_written(client, settings, monkeypatch, now):
    session = make_session(start=at(2020, 5, 19), status="held")
    monkeypatch.setattr(Photo.objects, "bulk_create", raising_writer())
    data = {
        "images": [
            SimpleUploadedFile("a.jpg", image_bytes()),
            SimpleUploadedFile("b.png", image_bytes(image_format="PNG")),
        ]
    }
    assert_error_page(client.post(reverse("sessions:photos", args=[session.pk]), data))
    assert Photo.objects.count() == 0
    assert [path for path in files_under(settings.MEDIA_ROOT) if path.is_file()] == []


def test_member_import(client, groups, monkeypatch, now):
    """The members are inserted, then writing their history fails."""
    content = (
        "Họ và tên,Tổ Đảng,Ngày về chi bộ\r\n"
        "Bế Thị Mai,Tổ 1,05/11/2019\r\nHoàng Văn Sơn,Tổ 2,01/02/2018\r\n"
    ).encode()
    preview = client.post(
        reverse("members:import"), {"file": SimpleUploadedFile("ds.csv", content)}
    )
    token = preview.context["token"]
    members, before = Member.objects.count(), history_rows()

    real = history_utils.bulk_create_with_history

    def members_then_failure(objs, model, *args, **kwargs):
        real(objs, model, *args, **kwargs)  # the members and their history are written…
        raise DiskFull("No space left on device")  # …and the save fails after

    monkeypatch.setattr(member_services, "bulk_create_with_history", members_then_failure)
    assert_error_page(client.post(reverse("members:import_confirm"), {"token": token}))
    assert Member.objects.count() == members
    assert not Member.objects.filter(full_name__in=["Bế Thị Mai", "Hoàng Văn Sơn"]).exists()
    assert history_rows() == before


def test_plan_copy(client, groups, monkeypatch, now):
    """The new plan and its first session are written; the second session's meetings fail."""
    plan = make_plan(2020)
    for month in (3, 6, 9):
        session = make_session(plan, start=at(2020, month, 12), scope="groups")
        for group in groups:
            make_group_meeting(session, group, at(2020, month, 12, 14))
    before = history_rows()
    sessions = ThematicSession.objects.count()
    writes = fail_after(monkeypatch, session_services, "bulk_create_with_history", calls=1)
    assert_error_page(client.post(reverse("sessions:plan_copy", args=[2020])))
    assert writes["n"] == 2  # a plan, two sessions and a session's meetings were written
    assert not AnnualPlan.objects.filter(year=2021).exists()
    assert ThematicSession.objects.count() == sessions
    assert GroupMeeting.objects.filter(session__plan__year=2021).count() == 0
    assert history_rows() == before


def test_a_member_leaving(client, groups, member, monkeypatch, now):
    """Their record is saved, then closing their login fails: they have not left."""
    groups[0].leader = member.member
    groups[0].save()
    monkeypatch.setattr(member_services, "_close_login", raising_writer())
    before = history_rows()
    response = client.post(
        reverse("members:leave", args=[member.member.pk]),
        {"left_cell_on": "15/05/2020", "left_reason": "transfer", "left_note": ""},
    )
    assert_error_page(response)
    member.member.refresh_from_db()
    groups[0].refresh_from_db()
    assert member.member.left_cell_on is None
    assert groups[0].leader == member.member
    assert history_rows() == before
    assert make_member(groups[0]).pk  # the database is usable after the failure


@pytest.fixture
def cell_b(groups):
    """A second cell of the Chibo, with a group: somewhere to move a member to."""
    cell = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học", kind=Organisation.Kind.CELL, parent=single_cell().parent
    )
    make_group("Tổ Trường học", cell=cell)
    return cell


def member_rows():
    return (
        list(Member.objects.values().order_by("pk")),
        list(Role.objects.values().order_by("pk")),
        history_rows(),
    )


def test_a_transfer(client, member, cell_b, monkeypatch, now):
    """The new record and its role are written, the old record marked left; then the
    old role's removal fails: the member is still in their cell, and nowhere else."""
    real = member_services._leave

    def leave_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise DiskFull("No space left on device")

    monkeypatch.setattr(member_services, "_leave", leave_then_fail)
    before = member_rows()
    response = client.post(
        reverse("members:transfer", args=[member.member.pk]),
        {"cell": cell_b.pk, "day": "15/05/2020", "confirm": "1"},
    )
    assert_error_page(response)
    assert member_rows() == before
    assert not Member.objects.of_cell(cell_b).exists()


def test_a_temporary_stay(client, member, cell_b, monkeypatch, now):
    """The temporary record is written, then the login's role in the host fails."""
    monkeypatch.setattr(Role.objects, "get_or_create", raising_writer())
    before = member_rows()
    response = client.post(
        reverse("members:send", args=[member.member.pk]),
        {"cell": cell_b.pk, "day": "15/05/2020", "confirm": "1"},
    )
    assert_error_page(response)
    assert member_rows() == before


@pytest.mark.parametrize(
    ("target", "name", "url"),
    [
        ("chibo.history_views", "recent_changes", lambda d: reverse("history:cell")),
        ("chibo.history_views", "member_history", lambda d: reverse("history:member", args=[d])),
        ("chibo.my_data", "personal_data", lambda d: reverse("my_data")),
    ],
)
def test_the_new_pages_fail_with_the_plain_page_and_a_log_line(
    client, secretary, monkeypatch, caplog, target, name, url
):
    monkeypatch.setattr(importlib.import_module(target), name, raising_writer())
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(url(secretary.member.pk))
    assert_error_page(response)
    assert "DiskFull" in caplog.text
