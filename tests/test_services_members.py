"""Member services on their own: groups order, archiving, logins, leaving, importing."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError

from chibo.lib.text import fold
from members import services
from members.importing import ImportRow, check_rows
from members.models import Member, PartyGroup, single_cell
from tests.factories import make_group, make_member, make_user

pytestmark = pytest.mark.django_db


def test_fold_drops_accents_case_and_spaces():
    assert fold("  Tổ  Đảng ") == "to dang"
    assert fold("Ngày về chi bộ") == "ngay ve chi bo"


def test_move_group_renumbers_and_keeps_history(db):
    a, _b, c = make_group("A", order=5), make_group("B", order=5), make_group("C", order=9)
    services.move_group(group=c, step=-1)
    assert list(PartyGroup.objects.values_list("name", flat=True)) == ["A", "C", "B"]
    assert list(PartyGroup.objects.values_list("order", flat=True)) == [1, 2, 3]
    assert c.history.count() == 2
    services.move_group(group=a, step=-1)  # already first: nothing but numbering
    assert PartyGroup.objects.first() == a


def test_archive_group_refuses_current_members_but_not_those_who_left(db):
    group = make_group("Tổ cũ")
    make_member(group, "Lộc Văn Bình", left_cell_on=dt.date(2021, 3, 15), left_reason="transfer")
    services.archive_group(group=group)
    group.refresh_from_db()
    assert not group.is_active
    other = make_group("Tổ đông")
    make_member(other)
    with pytest.raises(services.ServiceError, match="còn 1 đảng viên"):
        services.archive_group(group=other)


def test_suggest_username_is_unique(db):
    assert services.suggest_username("Nông Thị Hương") == "huongnt"
    User.objects.create(username="huongnt")
    assert services.suggest_username("Nông Thị Hương") == "huongnt2"
    assert services.suggest_username("Đặng Thị Tuyết") == "tuyetdt"


def test_give_login_refuses_a_member_who_left_and_unknown_roles(groups):
    left = make_member(groups[0], left_cell_on=dt.date(2020, 1, 1), left_reason="transfer")
    with pytest.raises(services.ServiceError, match="đã thôi sinh hoạt"):
        services.give_login(member=left, username="x", role="member")
    with pytest.raises(services.ServiceError, match="Vai trò"):
        services.give_login(member=make_member(groups[0]), username="y", role="root")
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_take_login_away_keeps_the_user(groups):
    member = make_member(groups[0])
    user = make_user("tam", "member", member)
    boss = make_user("boss", "secretary", make_member(groups[0]))
    services.take_login_away(member=member, by=boss)
    user.refresh_from_db()
    assert not user.is_active and member.user == user


def test_mark_member_left_is_all_or_nothing(groups):
    member = make_member(groups[0], joined=dt.date(2015, 1, 1))
    with pytest.raises(IntegrityError):  # the database's own check refuses it
        services.mark_member_left(member=member, day=dt.date(2014, 1, 1), reason="transfer")
    member.refresh_from_db()
    assert member.left_cell_on is None


def test_import_members_refuses_rows_with_errors(groups):
    rows = check_rows(
        [ImportRow(line=2, raw={"full_name": "", "group": "Tổ 1"})], cell=single_cell()
    )
    with pytest.raises(services.ServiceError):
        services.import_members(rows=rows, cell=single_cell())
    good = check_rows(
        [
            ImportRow(
                line=2,
                raw={
                    "full_name": "Hà Thị Ngọc Lan",
                    "group": "tổ 1",
                    "joined_cell_on": "06/01/2014",
                },
            )
        ],
        cell=single_cell(),
    )
    [member] = services.import_members(rows=good, cell=single_cell())
    assert Member.objects.get(pk=member.pk).group == groups[0]


def test_move_member_drops_them_as_leader_of_the_old_group(groups):
    member = make_member(groups[0], "Vi Thị Thu Hà")
    groups[0].leader = member
    groups[0].save()
    services.move_member(member=member, group=groups[1])
    groups[0].refresh_from_db()
    member.refresh_from_db()
    assert (member.group, groups[0].leader) == (groups[1], None)
    assert member.history.count() == 2


# --- Rules that were in the views ------------------------------------------------


def test_add_group_places_a_new_group_last(db):
    assert services.add_group(group=PartyGroup(cell=single_cell(), name="Tổ 1")).order == 1
    make_group("Tổ 5", order=5)
    make_group("Tổ 2", order=2)
    group = services.add_group(group=PartyGroup(cell=single_cell(), name="Tổ mới"))
    assert PartyGroup.objects.get(pk=group.pk).order == 6


def test_a_member_who_left_is_neither_moved_nor_marked_as_leaving_again(groups):
    member = make_member(groups[0], "Lộc Văn Bình")
    assert services.left_refusal(member) is None
    services.mark_member_left(member=member, day=dt.date(2020, 9, 1), reason="transfer")
    member.refresh_from_db()
    assert services.left_refusal(member) == "Đồng chí này đã thôi sinh hoạt tại chi bộ."
    with pytest.raises(services.ServiceError, match="đã thôi sinh hoạt"):
        services.move_member(member=member, group=groups[1])
    # The leave form puts its new date on the member before the service runs.
    member.left_cell_on = dt.date(2020, 10, 1)
    with pytest.raises(services.ServiceError, match="đã thôi sinh hoạt"):
        services.mark_member_left(member=member, day=dt.date(2020, 10, 1), reason="other")
    member.refresh_from_db()
    assert (member.group, member.left_cell_on, member.left_reason) == (
        groups[0],
        dt.date(2020, 9, 1),
        "transfer",
    )
    assert member.history.count() == 2


def test_renew_calendar_token_closes_the_old_address_without_history(groups):
    member = make_member(groups[0])
    old = member.calendar_token
    new = services.renew_calendar_token(member=member)
    assert new != old and member.calendar_token == new
    assert Member.objects.get(pk=member.pk).calendar_token == new
    assert not Member.objects.filter(calendar_token=old).exists()
    assert member.history.count() == 1


def test_a_login_that_is_not_open_is_not_taken_away(groups):
    boss = make_user("boss", "secretary", make_member(groups[0]))
    without = make_member(groups[0], "Đinh Văn Tâm")
    assert services.no_login_refusal(without) == "Đồng chí này chưa có tài khoản."
    with pytest.raises(services.ServiceError, match="chưa có tài khoản"):
        services.take_login_away(member=without, by=boss)
    closed = make_member(groups[1], "Mạc Thị Lan")
    make_user("lan", "member", closed)
    services.take_login_away(member=closed, by=boss)
    closed.refresh_from_db()
    assert services.no_login_refusal(closed) == "Đồng chí này chưa có tài khoản."
    with pytest.raises(services.ServiceError, match="chưa có tài khoản"):
        services.take_login_away(member=closed, by=boss)
