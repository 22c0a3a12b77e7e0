"""Moving between cells of one Chibo, as services: transfers and temporary stays.

Cell A is the tests' cell (``single_cell()``, the named users of conftest);
B sits beside it under the same committee, C under a đảng bộ bộ phận of the
same committee; X belongs to another committee, outside this Chibo's tree.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from chibo.lib.roles import COMMITTEE, LEADER, MEMBER, SECRETARY
from members import services
from members.models import Member, Organisation, PartyGroup, Role, single_cell
from members.workplace import member_of
from sessions.models import Attendance
from tests.factories import at, make_group, make_member, make_plan, make_session, make_user, record

pytestmark = pytest.mark.django_db

CELL = Organisation.Kind.CELL
DAY = dt.date(2020, 4, 1)


@pytest.fixture
def chibo(groups, secretary, now):
    a = single_cell()
    b = Organisation.objects.create(name="Chi bộ Trường Tiểu học", kind=CELL, parent=a.parent)
    make_group("Tổ B cũ", order=0, cell=b, is_active=False)
    make_group("Tổ B2", order=2, cell=b)
    b1 = make_group("Tổ B1", order=1, cell=b)
    part = Organisation.objects.create(
        name="Đảng bộ bộ phận Văn phòng", kind=Organisation.Kind.SUB_COMMITTEE, parent=a.parent
    )
    c = Organisation.objects.create(name="Chi bộ Văn phòng", kind=CELL, parent=part)
    make_group("Tổ C1", order=1, cell=c)
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    x = Organisation.objects.create(name="Chi bộ Công ty", kind=CELL, parent=elsewhere)
    make_group("Tổ X1", cell=x)
    return SimpleNamespace(a=a, b=b, b1=b1, c=c, part=part, x=x, by=secretary)


@pytest.fixture
def person(groups):
    """A full member of A with a login, on the committee of A, leading group 1."""
    member = make_member(
        groups[0],
        "Lý Thị Mai",
        joined=dt.date(2016, 3, 1),
        position="committee",
        standing="probationary",
        joined_party_on=dt.date(2016, 2, 3),
        phone="0912 000 111",
        email="mai@example.org",
        notes="Ghi chú riêng của chi bộ A",
    )
    groups[0].leader = member
    groups[0].save()
    make_user("mai", LEADER, member)
    member.refresh_from_db()
    return member


def close_login(member, by):
    Role.objects.filter(user=member.user).update(kind=MEMBER)  # within a secretary's reach
    services.take_login_away(member=member, by=by)


def roles_of(user):
    return sorted((role.organisation.name, role.kind) for role in user.roles.all())


def transfer(person, chibo, to=None, day=DAY):
    return services.transfer_member(member=person, to_cell=to or chibo.b, day=day, by=chibo.by)


# --- Transfers ---------------------------------------------------------------------


def test_a_transfer_closes_the_old_record_and_opens_one_in_the_new_cell(person, chibo):
    new = transfer(person, chibo)
    person.refresh_from_db()
    assert (person.left_cell_on, person.left_reason) == (DAY, Member.LeaveReason.TRANSFER)
    assert person.left_note == "đến Chi bộ Trường Tiểu học"
    assert person.cell == chibo.a and person.position == "committee"
    new.refresh_from_db()
    assert new.cell == chibo.b and new.joined_cell_on == DAY and not new.has_left
    assert (new.full_name, new.standing, new.joined_party_on) == (
        "Lý Thị Mai",
        "probationary",
        dt.date(2016, 2, 3),
    )
    assert (new.phone, new.email) == ("0912 000 111", "mai@example.org")
    # The cell's own fields are the new cell's: a plain member of its first active group.
    assert new.position == Member.Position.MEMBER and new.group == chibo.b1
    assert new.notes == f"Chuyển sinh hoạt từ {chibo.a.name} ngày 01/04/2020."
    assert not new.temporary and new.home_member is None
    assert new.calendar_token and new.calendar_token != person.calendar_token
    assert not PartyGroup.objects.filter(leader=person).exists()


def test_the_login_moves_with_the_person(person, chibo):
    user = person.user
    Role.objects.create(user=user, organisation=chibo.part, kind=COMMITTEE)
    new = transfer(person, chibo)
    user.refresh_from_db()
    assert user.is_active and new.user == user and person.user == user
    assert roles_of(user) == [
        ("Chi bộ Trường Tiểu học", MEMBER),
        ("Đảng bộ bộ phận Văn phòng", COMMITTEE),
    ]
    assert member_of(User.objects.get(pk=user.pk)) == new


def test_a_role_already_held_in_the_new_cell_stays(person, chibo):
    Role.objects.create(user=person.user, organisation=chibo.b, kind=SECRETARY)
    transfer(person, chibo)
    assert roles_of(person.user) == [("Chi bộ Trường Tiểu học", SECRETARY)]


def test_a_closed_login_follows_closed_and_no_login_stays_none(person, chibo, groups):
    close_login(person, chibo.by)
    new = transfer(person, chibo)
    assert new.user == person.user and not new.user.is_active
    assert not Role.objects.filter(user=person.user).exists()
    without = make_member(groups[1], "Đàm Văn Lực")
    assert transfer(without, chibo).user is None


def test_both_records_keep_their_history(person, chibo):
    before = person.history.count()
    new = transfer(person, chibo)
    old_history = list(person.history.order_by("history_id"))
    assert len(old_history) == before + 1
    assert old_history[-1].left_reason == "transfer" and old_history[-1].history_user == chibo.by
    # The new record's history starts with the transfer, written as by nobody
    # of the old cell.
    [first] = new.history.all()
    assert first.history_type == "+" and first.history_user is None
    assert first.joined_cell_on == DAY


@pytest.mark.parametrize(
    "case, message",
    [
        ("same cell", "đang sinh hoạt tại chi bộ này"),
        ("a committee", "cùng đảng bộ"),
        ("another tree", "cùng đảng bộ"),
        ("left", "đã thôi sinh hoạt"),
        ("temporary", "sinh hoạt tạm thời tại chi bộ"),
        ("future", "không thể ở tương lai"),
        ("before joining", "trước ngày về chi bộ \\(01/03/2016\\)"),
        ("no group", "chưa có tổ Đảng nào đang hoạt động"),
        ("oneself", "Không thể tự chuyển"),
        ("a member there", "đã gắn với một đảng viên đang sinh hoạt tại Chi bộ Trường"),
    ],
)
def test_a_transfer_is_refused_with_a_reason_and_changes_nothing(person, chibo, case, message):
    to, day, by = chibo.b, DAY, chibo.by
    if case == "same cell":
        to = chibo.a
    elif case == "a committee":
        to = chibo.part
    elif case == "another tree":
        to = chibo.x
    elif case == "left":
        services.mark_member_left(member=person, day=DAY, reason="other")
    elif case == "temporary":
        person = make_member(None, "Lò Văn Tạm", temporary=True, home_cell="Chi bộ khác")
    elif case == "future":
        day = dt.date(2020, 6, 2)
    elif case == "before joining":
        day = dt.date(2016, 2, 29)
    elif case == "no group":
        PartyGroup.objects.filter(cell=chibo.b).update(is_active=False)
    elif case == "oneself":
        by = person.user
    elif case == "a member there":
        make_member(chibo.b1, "Lý Thị Mai", user=person.user)
    rows = list(Member.objects.values().order_by("pk"))
    roles = list(Role.objects.values().order_by("pk"))
    assert services.transfer_refusal(member=person, to_cell=to, day=day, by=by) is not None
    with pytest.raises(services.ServiceError, match=message):
        services.transfer_member(member=person, to_cell=to, day=day, by=by)
    assert list(Member.objects.values().order_by("pk")) == rows
    assert list(Role.objects.values().order_by("pk")) == roles


def test_the_offered_cells_are_the_other_cells_of_the_tree(chibo):
    assert set(services.other_cells(chibo.a)) == {chibo.b, chibo.c}
    assert set(services.other_cells(chibo.c)) == {chibo.a, chibo.b}
    assert list(services.other_cells(chibo.x)) == []


def test_a_transfer_on_the_day_moves_who_is_expected(person, chibo):
    new = transfer(person, chibo)
    assert not Member.objects.of_cell(chibo.a).expected_on(DAY).filter(pk=person.pk).exists()
    assert (
        Member.objects.of_cell(chibo.a).expected_on(DAY - dt.timedelta(days=1)).filter(pk=person.pk)
    )
    assert Member.objects.of_cell(chibo.b).expected_on(DAY).filter(pk=new.pk).exists()
    assert (
        not Member.objects.of_cell(chibo.b)
        .expected_on(DAY - dt.timedelta(days=1))
        .filter(pk=new.pk)
    )


def test_coming_back_to_a_former_cell_makes_a_third_record(person, chibo, leader):
    in_b = transfer(person, chibo)
    back_day = dt.date(2020, 5, 1)
    back = services.transfer_member(member=in_b, to_cell=chibo.a, day=back_day, by=leader)
    person.refresh_from_db()
    # The first record keeps its rows and history; the login is the newest record's.
    assert person.user is None and person.left_cell_on == DAY
    assert back.user == in_b.user and back.cell == chibo.a and back.joined_cell_on == back_day
    assert roles_of(back.user) == [(chibo.a.name, MEMBER)]
    assert member_of(User.objects.get(pk=back.user_id)) == back


# --- Temporary stays -----------------------------------------------------------------


def send(person, chibo, host=None, day=DAY):
    return services.send_temporarily(member=person, host=host or chibo.b, day=day, by=chibo.by)


def test_sending_a_member_makes_a_temporary_record_in_the_host(person, chibo):
    before = list(Member.objects.filter(pk=person.pk).values())
    stay = send(person, chibo)
    stay.refresh_from_db()
    assert stay.cell == chibo.b and stay.temporary and stay.group is None
    assert stay.joined_cell_on == DAY and stay.home_cell == chibo.a.name
    assert stay.home_member == person and stay.user == person.user
    assert (stay.full_name, stay.position, stay.notes) == ("Lý Thị Mai", "member", "")
    assert list(Member.objects.filter(pk=person.pk).values()) == before
    assert roles_of(person.user) == sorted([(chibo.a.name, LEADER), (chibo.b.name, MEMBER)])
    [first] = stay.history.all()
    assert first.history_user is None
    assert list(person.stays.all()) == [stay]


def test_a_closed_login_is_not_linked_to_a_stay(person, chibo):
    close_login(person, chibo.by)
    assert send(person, chibo).user is None


def test_a_stay_is_recorded_in_the_host_and_counted_in_neither_cell(person, chibo, groups):
    stay = send(person, chibo)
    b_member = make_member(chibo.b1, "Vi Văn Hùng")
    held_b = make_session(make_plan(2020, cell=chibo.b), start=at(2020, 5, 5))
    assert held_b.roster().temporaries == [(stay, False)]
    record(held_b, temporary=[stay])
    figures = Attendance.objects.of_cell(chibo.b).figures()
    assert (figures["expected"], figures["present"], figures["temporary"]) == (1, 1, 1)
    assert set(held_b.attendances.values_list("member", "temporary")) == {
        (b_member.pk, False),
        (stay.pk, True),
    }
    assert not Attendance.objects.of_cell(chibo.a).exists()
    assert not person.attendances.exists()


@pytest.mark.parametrize(
    "case, message",
    [
        ("same cell", "đang sinh hoạt tại chi bộ này"),
        ("another tree", "cùng đảng bộ"),
        ("left", "đã thôi sinh hoạt"),
        ("temporary", "sinh hoạt tạm thời tại chi bộ"),
        ("before joining", "trước ngày về chi bộ"),
        ("already there", "đang sinh hoạt tạm thời tại Chi bộ Trường Tiểu học rồi"),
    ],
)
def test_a_stay_is_refused_with_a_reason_and_changes_nothing(person, chibo, case, message):
    host, day = chibo.b, DAY
    if case == "same cell":
        host = chibo.a
    elif case == "another tree":
        host = chibo.x
    elif case == "left":
        services.mark_member_left(member=person, day=DAY, reason="other")
    elif case == "temporary":
        person = make_member(None, "Lò Văn Tạm", temporary=True, home_cell="Chi bộ khác")
    elif case == "before joining":
        day = dt.date(2016, 1, 1)
    elif case == "already there":
        send(person, chibo)
    rows = list(Member.objects.values().order_by("pk"))
    with pytest.raises(services.ServiceError, match=message):
        services.send_temporarily(member=person, host=host, day=day, by=chibo.by)
    assert list(Member.objects.values().order_by("pk")) == rows


def test_the_host_ends_a_stay_with_its_leave_form_and_the_login_stays(person, chibo):
    stay = send(person, chibo)
    services.mark_member_left(member=stay, day=dt.date(2020, 5, 20), reason="other")
    person.user.refresh_from_db()
    assert person.user.is_active
    assert roles_of(person.user) == [(chibo.a.name, LEADER)]
    # A new stay in the same host later: a new record, which takes the login.
    again = send(person, chibo, day=dt.date(2020, 5, 25))
    stay.refresh_from_db()
    assert again.user == person.user and stay.user is None and stay.has_left


def test_leaving_the_home_cell_ends_the_stays(person, chibo):
    stay_b, stay_c = send(person, chibo), send(person, chibo, host=chibo.c)
    services.mark_member_left(member=person, day=dt.date(2020, 5, 20), reason="retirement")
    for stay in (stay_b, stay_c):
        stay.refresh_from_db()
        assert stay.left_cell_on == dt.date(2020, 5, 20) and stay.left_reason == "other"
        assert "đã thôi sinh hoạt tại" in stay.left_note
    person.user.refresh_from_db()
    assert not person.user.is_active and not person.user.roles.exists()


def test_a_transfer_ends_stays_elsewhere(person, chibo):
    stay_c = send(person, chibo, host=chibo.c, day=dt.date(2020, 3, 1))
    transfer(person, chibo)
    stay_c.refresh_from_db()
    assert stay_c.left_cell_on == DAY
    assert stay_c.left_note == (
        "Hết sinh hoạt tạm thời: đồng chí đã chuyển sinh hoạt đến Chi bộ Trường Tiểu học."
    )
    assert roles_of(person.user) == [(chibo.b.name, MEMBER)]


def test_a_transfer_into_the_host_makes_the_stay_a_membership(person, chibo):
    stay = send(person, chibo, day=dt.date(2020, 2, 1))
    new = transfer(person, chibo)
    stay.refresh_from_db()
    assert stay.has_left and stay.left_cell_on == DAY and stay.user is None
    assert new.user == person.user and not new.temporary
    assert list(Member.objects.of_cell(chibo.b).current()) == [new]


def test_a_transfer_into_the_host_before_the_stay_began_is_refused(person, chibo):
    send(person, chibo, day=dt.date(2020, 5, 1))
    with pytest.raises(services.ServiceError, match="từ 01/05/2020"):
        transfer(person, chibo)
