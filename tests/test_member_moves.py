"""Moving a member to another cell of the Chibo, through the secretary's pages.

Cell A is the tests' cell (``single_cell()``, the named users of conftest);
B sits beside it under the same committee. The member Lương Văn Tuấn
(``member``) moves from A to B: for good (chuyển sinh hoạt) or for a while
(sinh hoạt tạm thời). After a transfer, every page and export that B's
secretary, B's leader and the person reach by clicking shows nothing of A —
no session, no other member, no note, no attendance of A — while A's pages
keep the person's past there.
"""

import datetime as dt
import io
from collections import deque

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from chibo.lib.roles import LEADER, SECRETARY
from members import services
from members.models import Member, Organisation, single_cell
from members.workplace import member_of
from sessions.models import Attendance
from tests.factories import (
    at,
    make_exemption,
    make_group,
    make_member,
    make_plan,
    make_session,
    make_user,
    record,
)
from tests.test_crawl import Links, local_path

pytestmark = pytest.mark.django_db

CELL = Organisation.Kind.CELL
B_NAME = "Chi bộ Trường Tiểu học"
DAY = dt.date(2020, 4, 1)


@pytest.fixture
def cell_b(groups):
    cell = Organisation.objects.create(name=B_NAME, kind=CELL, parent=single_cell().parent)
    group = make_group("Tổ Trường học", order=1, cell=cell)
    b_secretary = make_user("b-secretary", SECRETARY, make_member(group, "Ma Thị Lụa"))
    b_leader = make_user("b-leader", LEADER, make_member(group, "Bế Văn Khánh"))
    return {"cell": cell, "group": group, "secretary": b_secretary, "leader": b_leader}


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The secretary's pages -----------------------------------------------------------


def test_the_move_buttons_show_only_when_the_chibo_has_another_cell(client, secretary, member):
    client.force_login(secretary)
    url = reverse("members:detail", args=[member.member.pk])
    transfer = reverse("members:transfer", args=[member.member.pk])
    send = reverse("members:send", args=[member.member.pk])
    text = page_text(client.get(url))
    assert transfer not in text and send not in text
    Organisation.objects.create(name=B_NAME, kind=CELL, parent=single_cell().parent)
    text = page_text(client.get(url))
    assert transfer in text and send in text
    assert transfer in page_text(client.get(reverse("members:leave", args=[member.member.pk])))


def test_without_another_cell_the_forms_send_back_with_the_reason(client, secretary, member):
    client.force_login(secretary)
    response = client.get(reverse("members:transfer", args=[member.member.pk]), follow=True)
    assert messages_of(response) == ["Chibo chưa có chi bộ nào khác trong cùng đảng bộ."]


def test_the_form_offers_the_other_cells_of_this_chibo_only(client, secretary, member, cell_b):
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    Organisation.objects.create(name="Chi bộ Công ty", kind=CELL, parent=elsewhere)
    client.force_login(secretary)
    for name in ("members:transfer", "members:send"):
        response = client.get(reverse(name, args=[member.member.pk]))
        assert list(response.context["form"].fields["cell"].queryset) == [cell_b["cell"]]


def test_a_transfer_is_confirmed_then_made(client, secretary, member, cell_b, now):
    client.force_login(secretary)
    url = reverse("members:transfer", args=[member.member.pk])
    data = {"cell": cell_b["cell"].pk, "day": "01/04/2020"}
    response = client.post(url, data)
    text = page_text(response)
    assert response.status_code == 200 and "Xác nhận chuyển sinh hoạt" in text
    assert "là đảng viên của Tổ Trường học" in text
    assert not Member.objects.get(pk=member.member.pk).has_left

    response = client.post(url, {**data, "confirm": "1"}, follow=True)
    assert response.redirect_chain == [(member.member.get_absolute_url(), 302)]
    assert messages_of(response) == [
        f"Đã chuyển sinh hoạt đồng chí Lương Văn Tuấn đến {B_NAME} từ ngày 01/04/2020."
    ]
    # The old cell keeps showing the member, left, with the reason and the new cell.
    text = page_text(response)
    assert "Đã thôi sinh hoạt" in text
    assert f"01/04/2020 · Chuyển sinh hoạt (đến {B_NAME})" in text
    listed = client.get(reverse("members:list"), {"filter": "left"})
    assert "Lương Văn Tuấn" in page_text(listed)


@pytest.mark.parametrize(
    "day, message",
    [
        ("02/06/2020", "không thể ở tương lai"),
        ("31/12/2014", "không thể trước ngày về chi bộ (01/01/2015)"),
    ],
)
def test_a_refused_transfer_says_why_on_the_form(
    client, secretary, member, cell_b, now, day, message
):
    client.force_login(secretary)
    url = reverse("members:transfer", args=[member.member.pk])
    response = client.post(url, {"cell": cell_b["cell"].pk, "day": day, "confirm": "1"})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].non_field_errors())
    assert not Member.objects.get(pk=member.member.pk).has_left
    assert not Member.objects.of_cell(cell_b["cell"]).filter(full_name="Lương Văn Tuấn")


def test_a_cell_of_another_chibo_is_not_a_choice(client, secretary, member, cell_b, now):
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    other = Organisation.objects.create(name="Chi bộ Công ty", kind=CELL, parent=elsewhere)
    make_group("Tổ Công ty", cell=other)
    client.force_login(secretary)
    url = reverse("members:transfer", args=[member.member.pk])
    response = client.post(url, {"cell": other.pk, "day": "01/04/2020", "confirm": "1"})
    assert response.context["form"].errors["cell"]
    assert not Member.objects.of_cell(other).exists()


def test_the_secretary_may_not_transfer_themselves(client, secretary, cell_b, now):
    client.force_login(secretary)
    url = reverse("members:transfer", args=[secretary.member.pk])
    response = client.post(url, {"cell": cell_b["cell"].pk, "day": "01/04/2020", "confirm": "1"})
    assert "Không thể tự chuyển" in " ".join(response.context["form"].non_field_errors())


def test_a_member_who_left_or_attends_temporarily_is_not_moved(client, secretary, groups, cell_b):
    left = make_member(groups[0], left_cell_on=dt.date(2020, 1, 1), left_reason="other")
    temporary = make_member(None, "Lò Văn Tạm", temporary=True, home_cell="Chi bộ khác")
    client.force_login(secretary)
    for name in ("members:transfer", "members:send"):
        response = client.get(reverse(name, args=[left.pk]), follow=True)
        assert messages_of(response) == ["Đồng chí này đã thôi sinh hoạt tại chi bộ."]
        response = client.get(reverse(name, args=[temporary.pk]), follow=True)
        assert "sinh hoạt tạm thời tại chi bộ" in messages_of(response)[0]


def test_a_stay_is_confirmed_then_listed_on_both_sides(client, secretary, member, cell_b, now):
    client.force_login(secretary)
    url = reverse("members:send", args=[member.member.pk])
    data = {"cell": cell_b["cell"].pk, "day": "15/05/2020"}
    assert "Xác nhận giới thiệu" in page_text(client.post(url, data))
    response = client.post(url, {**data, "confirm": "1"}, follow=True)
    assert messages_of(response) == [
        f"Đã giới thiệu đồng chí Lương Văn Tuấn sinh hoạt tạm thời tại {B_NAME} từ ngày 15/05/2020."
    ]
    assert f"{B_NAME}: 15/05/2020 – nay" in page_text(response)
    # The host lists them apart, with the cell that sent them; its sheet offers them.
    client.force_login(cell_b["secretary"])
    text = page_text(client.get(reverse("members:list"), {"filter": "temporary"}))
    assert "Lương Văn Tuấn" in text
    stay = Member.objects.of_cell(cell_b["cell"]).get(temporary=True)
    assert stay.home_cell == single_cell().name
    held = make_session(make_plan(2020, cell=cell_b["cell"]), start=at(2020, 5, 20))
    sheet = client.get(reverse("sessions:attendance", args=[held.pk]))
    assert sheet.context["form"].fields["temporary"].choices == [(str(stay.pk), "Lương Văn Tuấn")]


def edit_form(member, **changes):
    return {
        "full_name": member.full_name,
        "standing": member.standing,
        "position": member.position,
        "joined_party_on": "",
        "joined_cell_on": member.joined_cell_on.strftime("%d/%m/%Y"),
        "temporary": "on",
        "home_cell": member.home_cell,
        "phone": "",
        "email": "",
        "notes": "",
        **changes,
    }


def test_the_host_cannot_make_a_stay_its_own_member_nor_rename_the_sender(
    client, member, cell_b, now
):
    stay = services.send_temporarily(member=member.member, host=cell_b["cell"], day=DAY)
    client.force_login(cell_b["secretary"])
    url = reverse("members:edit", args=[stay.pk])
    data = edit_form(stay, home_cell="Chi bộ nào đó", phone="0988 000 111")
    del data["temporary"]
    assert client.post(url, data).status_code == 302
    stay.refresh_from_db()
    assert stay.temporary and stay.home_cell == single_cell().name
    assert stay.phone == "0988 000 111"


def test_unticking_temporary_for_a_member_without_a_group_is_refused(client, secretary, groups):
    temporary = make_member(None, "Lò Văn Tạm", temporary=True, home_cell="Chi bộ khác")
    client.force_login(secretary)
    data = edit_form(temporary)
    del data["temporary"]
    response = client.post(reverse("members:edit", args=[temporary.pk]), data)
    assert "chưa thuộc tổ Đảng nào" in response.context["form"].errors["temporary"][0]
    temporary.refresh_from_db()
    assert temporary.temporary


# --- Nothing of the old cell in the new one ------------------------------------------

A_WORDS = (
    "Chuyên đề riêng của chi bộ A",
    "Kỳ sắp tới của chi bộ A",
    "Chuyên đề năm 2019 của chi bộ A",
    "Ghi chú của chi bộ A về đồng chí",
    "Lý do miễn ở chi bộ A",
    "Hoàng Văn Thắng",  # A's leader
    "Phùng Thị Hoa",  # another member of A
    "Nông Thị Hương",  # A's secretary, who made the transfer
)
B_BEFORE = "Chuyên đề của chi bộ B trước ngày chuyển"
B_AFTER = "Chuyên đề của chi bộ B sau ngày chuyển"


@pytest.fixture
def moved(secretary, leader, member, other_member, cell_b, now):
    """A held two sessions (2019, 2020) with the person, and plans one; the person moves
    to B on 1 April 2020; B held a session before that day, one after it with them."""
    person = member.member
    person.notes = "Ghi chú của chi bộ A về đồng chí"
    person.save()
    make_exemption(person, dt.date(2019, 1, 1), dt.date(2019, 2, 1), reason="Lý do miễn ở chi bộ A")
    old = make_session(
        make_plan(2019), start=at(2019, 5, 9), topic="Chuyên đề năm 2019 của chi bộ A"
    )
    record(old)
    held_a = make_session(
        make_plan(2020), start=at(2020, 3, 12), topic="Chuyên đề riêng của chi bộ A"
    )
    record(held_a, {other_member.member: Attendance.Status.UNEXCUSED})
    make_session(make_plan(2020), start=at(2020, 9, 10), topic="Kỳ sắp tới của chi bộ A")
    plan_b = make_plan(2020, cell=cell_b["cell"])
    before = make_session(plan_b, start=at(2020, 3, 20), topic=B_BEFORE)
    record(before)
    # Through the page, as A's secretary would: the request's user is known to the history.
    client = Client()
    client.force_login(secretary)
    client.post(
        reverse("members:transfer", args=[person.pk]),
        {"cell": cell_b["cell"].pk, "day": "01/04/2020", "confirm": "1"},
    )
    new = Member.objects.of_cell(cell_b["cell"]).get(user=member)
    after = make_session(plan_b, start=at(2020, 5, 5), topic=B_AFTER)
    record(after)
    make_session(plan_b, start=at(2020, 9, 15), topic="Kỳ sắp tới của chi bộ B")
    return {"old": person, "new": new, "before": before, "after": after, "held_a": held_a}


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("application/vnd.openxmlformats-officedocument.wordprocessingml"):
        document = Document(io.BytesIO(response.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    if kind == "application/pdf":
        # Made from the same fragment as the record's .docx, which is read above.
        return ""
    if kind.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if kind.startswith(("text/", "application/json")):
        return response.content.decode().replace("\r\n ", "")
    return ""


def crawl(client) -> dict[str, str]:
    """Every page, export and feed reached by clicking from the home page: path -> text."""
    texts, queue, seen = {}, deque(["/"]), {"/"}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        found = []
        if response.status_code == 302:
            found = [response["Location"]]
        else:
            texts[path] = text_of(response)
            if response["Content-Type"].startswith("text/html"):
                links = Links()
                links.feed(texts[path])
                found = links.links
        for link in found:
            if link.startswith(("mailto:", "tel:", "#")):
                continue
            local = local_path(link, path)
            if local and local not in seen and not local.startswith(("/media/", "/static/")):
                seen.add(local)
                queue.append(local)
        assert len(seen) < 1000, "the crawl does not end"
    return texts


@pytest.mark.parametrize("who", ["secretary", "leader", "person"])
def test_no_page_of_the_new_cell_shows_anything_of_the_old(moved, cell_b, member, who):
    client = Client()
    client.force_login(member if who == "person" else cell_b[who])
    texts = crawl(client)
    assert len(texts) > {"secretary": 40, "leader": 20, "person": 5}[who]
    leaks = {path: word for path, text in texts.items() for word in A_WORDS if word in text}
    assert leaks == {}
    assert any(B_AFTER in text for text in texts.values())


def test_the_new_record_starts_on_the_day_with_no_attendance_before(client, moved, cell_b):
    client.force_login(cell_b["secretary"])
    new = moved["new"]
    response = client.get(reverse("members:detail", args=[new.pk]))
    assert [row.session.topic for row in response.context["records"]] == [B_AFTER]
    assert f"Chuyển sinh hoạt từ {single_cell().name} ngày 01/04/2020." in page_text(response)
    record_page = client.get(reverse("sessions:member_record", args=[new.pk, 2020]))
    topics = [line.session.topic for line in record_page.context["record"].lines]
    assert topics == [B_AFTER, "Kỳ sắp tới của chi bộ B"]
    sheet = client.get(reverse("sessions:attendance", args=[moved["before"].pk]))
    assert "Lương Văn Tuấn" not in page_text(sheet)
    # Its history starts with the transfer, and names nobody of the old cell.
    history = client.get(reverse("history:member", args=[new.pk]))
    [made] = [entry for entry in history.context["entries"] if entry.kind == "đảng viên"]
    assert (made.action_label, made.who) == ("Thêm", "hệ thống")
    # The old record is not the new cell's: 404.
    assert client.get(reverse("members:detail", args=[moved["old"].pk])).status_code == 404


def test_the_old_cell_keeps_the_persons_past(client, leader, moved):
    client.force_login(leader)
    response = client.get(reverse("members:detail", args=[moved["old"].pk]), {"year": 2020})
    assert [row.session.topic for row in response.context["records"]] == [
        "Chuyên đề riêng của chi bộ A"
    ]
    assert response.context["years"][-1][0] == 2019
    assert B_AFTER not in page_text(response) and B_BEFORE not in page_text(response)
    summary = client.get(reverse("sessions:summary", args=[2020])).context["summary"]
    assert "Lương Văn Tuấn" in {row.member.full_name for row in summary.members}
    assert client.get(reverse("members:detail", args=[moved["new"].pk])).status_code == 404


def test_the_person_now_works_in_the_new_cell(client, member, moved, cell_b):
    user = User.objects.get(pk=member.pk)
    assert member_of(user) == moved["new"]
    client.force_login(member)
    response = client.get(reverse("sessions:my_record"), follow=True)
    assert response.context["member"] == moved["new"]
    topics = [line.session.topic for line in response.context["record"].lines]
    assert topics == [B_AFTER, "Kỳ sắp tới của chi bộ B"]
    old_record = reverse("sessions:member_record", args=[moved["old"].pk, 2020])
    assert client.get(old_record).status_code == 404
    # Asking to work in the old cell is refused: the role there is gone.
    client.post(reverse("switch_workplace"), {"organisation": single_cell().pk, "next": "/"})
    assert client.get("/").context["member"] == moved["new"]
