"""The monthly resolution: tasks decided, reviewed at the next meetings until done."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import ResolutionTask, TaskReview
from tests.factories import at, make_plan, make_session, record

pytestmark = pytest.mark.django_db


def regular(month, **fields):
    meeting = make_session(
        make_plan(2020), at(2020, month, 5, 14), topic="", thematic=False, regular=True, **fields
    )
    record(meeting)
    return meeting


def task_rows(n):
    return {"tasks-TOTAL_FORMS": str(n), "tasks-INITIAL_FORMS": "0"}


def test_tasks_recorded_then_reviewed_and_carried_over(client, secretary, member, groups):
    may, june, july = regular(5), regular(6), regular(7)
    client.force_login(secretary)
    tuan = member.member
    response = client.post(
        reverse("sessions:resolution_edit", args=[may.pk]),
        {
            **task_rows(2),
            "tasks-0-content": "Thu đảng phí quý II",
            "tasks-0-responsible": tuan.pk,
            "tasks-0-due_on": "31/05/2020",
            "tasks-1-content": "Rà soát hồ sơ đảng viên",
            "tasks-1-responsible_name": "Chi ủy",
            "tasks-1-due_on": "30/06/2020",
        },
        follow=True,
    )
    assert "Đã lưu nghị quyết và kiểm điểm nhiệm vụ." in response.text
    assert "NGHỊ QUYẾT CHI BỘ THÁNG 5 NĂM 2020" in response.text
    fee, files = ResolutionTask.objects.order_by("order")
    assert (fee.responsible, files.responsible_name) == (tuan, "Chi ủy")

    # June reviews both: the fee done, the files late (carried over).
    edit_june = reverse("sessions:resolution_edit", args=[june.pk])
    response = client.get(edit_june)
    assert "Thu đảng phí quý II" in response.text and "Rà soát hồ sơ đảng viên" in response.text
    client.post(
        edit_june,
        {
            **task_rows(0),
            f"review-{fee.pk}-outcome": "done",
            f"review-{files.pk}-outcome": "late",
            f"review-{files.pk}-note": "Còn 3 hồ sơ",
        },
    )
    response = client.get(reverse("sessions:minutes", args=[june.pk]))
    assert "BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ THÁNG 6 NĂM 2020" in response.text
    assert "Kiểm điểm việc thực hiện nhiệm vụ kỳ trước" in response.text
    assert "Chậm tiến độ: Còn 3 hồ sơ" in response.text

    # July's minutes list only what is still open: the files, not yet reviewed there.
    response = client.get(reverse("sessions:minutes", args=[july.pk]))
    assert "Rà soát hồ sơ đảng viên" in response.text
    assert "Thu đảng phí quý II" not in response.text
    assert "chưa kiểm điểm" in response.text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"tasks-0-responsible_name": ""}, "Chọn một đảng viên phụ trách"),
        ({"tasks-0-due_on": "01/05/2020"}, "Thời hạn không thể trước ngày ra nghị quyết."),
        ({"tasks-0-due_on": "31/02/2020"}, "Nhập một ngày hợp lệ"),
    ],
)
def test_a_wrong_task_is_refused_and_nothing_saved(client, secretary, groups, row, message):
    may = regular(5)
    client.force_login(secretary)
    data = {
        **task_rows(1),
        "tasks-0-content": "Thu đảng phí",
        "tasks-0-responsible_name": "Chi ủy",
        "tasks-0-due_on": "31/05/2020",
        **row,
    }
    response = client.post(reverse("sessions:resolution_edit", args=[may.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert not ResolutionTask.objects.exists()


def test_a_note_needs_an_outcome(client, secretary, groups):
    may, june = regular(5), regular(6)
    task = ResolutionTask.objects.create(
        session=may, content="Thu đảng phí", responsible_name="Chi ủy", due_on=dt.date(2020, 6, 1)
    )
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:resolution_edit", args=[june.pk]),
        {**task_rows(0), f"review-{task.pk}-note": "Đang làm"},
    )
    assert "Chọn kết quả cho nhiệm vụ có ghi chú." in response.text
    assert not TaskReview.objects.exists()


def test_a_task_reviewed_later_is_not_removed(client, secretary, groups):
    may, june = regular(5), regular(6)
    task = ResolutionTask.objects.create(
        session=may, content="Thu đảng phí", responsible_name="Chi ủy", due_on=dt.date(2020, 6, 1)
    )
    TaskReview.objects.create(task=task, session=june, outcome="late")
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:resolution_edit", args=[may.pk]),
        {
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "1",
            "tasks-0-id": task.pk,
            "tasks-0-content": task.content,
            "tasks-0-responsible_name": "Chi ủy",
            "tasks-0-due_on": "01/06/2020",
            "tasks-0-DELETE": "on",
        },
        follow=True,
    )
    assert "đã được kiểm điểm ở kỳ sau: không xóa được" in response.text
    assert ResolutionTask.objects.filter(pk=task.pk).exists()


def test_members_see_their_own_open_tasks_on_their_home(client, member, other_member, now):
    may = regular(5)
    mine = ResolutionTask.objects.create(
        session=may,
        content="Viết tham luận",
        responsible=member.member,
        due_on=dt.date(2020, 5, 20),
    )
    ResolutionTask.objects.create(
        session=may,
        content="Chuẩn bị hội trường",
        responsible=other_member.member,
        due_on=dt.date(2020, 6, 20),
    )
    client.force_login(member)
    response = client.get(reverse("home"))
    assert "Nhiệm vụ tôi phụ trách" in response.text
    assert "Viết tham luận" in response.text and "quá hạn" in response.text
    assert "Chuẩn bị hội trường" not in response.text
    later = make_session(
        make_plan(2020), at(2020, 5, 25, 14), topic="", thematic=False, regular=True
    )
    TaskReview.objects.create(task=mine, session=later, outcome="done")
    assert "Viết tham luận" not in client.get(reverse("home")).text


def test_the_resolution_as_a_document(client, member, groups):
    may = regular(5)
    ResolutionTask.objects.create(
        session=may,
        content="Thu đảng phí quý II",
        responsible_name="Chi ủy",
        due_on=dt.date(2020, 5, 31),
    )
    client.force_login(member)
    response = client.get(reverse("sessions:resolution_docx", args=[may.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="nghi-quyet-2020-05-05.docx"'
    response = client.get(reverse("sessions:resolution_pdf", args=[may.pk]))
    assert response.content.startswith(b"%PDF")
