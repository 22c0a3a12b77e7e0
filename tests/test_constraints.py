"""Invariants the database enforces, whatever the forms do."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from members.models import Member, single_cell
from sessions.models import Attendance, Award, Document, ThematicSession
from tests.factories import at, make_member, make_plan, make_session, record

pytestmark = pytest.mark.django_db


def refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_one_attendance_row_per_session_and_member(groups):
    member = make_member(groups[0])
    session = make_session()
    record(session)
    refused(lambda: Attendance.objects.create(session=session, member=member, group=groups[0]))


def test_session_must_end_after_it_starts():
    refused(lambda: make_session(minutes=0))
    refused(lambda: make_session(minutes=-60))


def test_attendance_only_on_held_sessions(groups):
    member = make_member(groups[0])
    session = make_session(status=ThematicSession.Status.PLANNED)
    refused(lambda: Attendance.objects.create(session=session, member=member))
    session.status = ThematicSession.Status.HELD
    session.save()
    Attendance.objects.create(session=session, member=member)


def test_session_with_attendance_cannot_stop_being_held(groups):
    make_member(groups[0])
    session = make_session()
    record(session)
    refused(lambda: ThematicSession.objects.filter(pk=session.pk).update(status="cancelled"))
    assert ThematicSession.objects.get(pk=session.pk).status == "held"


def test_attendance_cannot_move_to_a_session_that_is_not_held(groups):
    make_member(groups[0])
    held = make_session()
    record(held)
    planned = make_session(start=at(2020, 9, 1))
    refused(lambda: Attendance.objects.filter(session=held).update(session=planned))


def test_excused_absence_needs_a_reason(groups):
    member = make_member(groups[0])
    session = make_session(status="held")
    refused(lambda: Attendance.objects.create(session=session, member=member, status="excused"))


def test_held_session_with_attendance_cannot_be_deleted(groups):
    make_member(groups[0])
    session = make_session()
    record(session)
    with pytest.raises(ProtectedError):
        session.delete()


def test_member_with_attendance_cannot_be_deleted(groups):
    member = make_member(groups[0])
    record(make_session())
    with pytest.raises(ProtectedError):
        member.delete()


def test_group_with_members_or_history_cannot_be_deleted(groups):
    member = make_member(groups[0])
    record(make_session())
    member.group = groups[1]
    member.save()
    with pytest.raises(ProtectedError):
        groups[0].delete()  # still named by the attendance row


def test_plan_with_sessions_cannot_be_deleted():
    plan = make_plan(2020)
    make_session(plan)
    with pytest.raises(ProtectedError):
        plan.delete()


def test_member_leaves_after_joining_and_with_a_reason(groups):
    member = make_member(groups[0], joined=dt.date(2020, 1, 1))
    refused(
        lambda: Member.objects.filter(pk=member.pk).update(
            left_cell_on=dt.date(2019, 1, 1), left_reason="transfer"
        )
    )
    refused(lambda: Member.objects.filter(pk=member.pk).update(left_cell_on=dt.date(2021, 1, 1)))


def test_regular_member_belongs_to_a_group():
    cell = single_cell()
    refused(
        lambda: Member.objects.create(
            cell=cell, full_name="Không Tổ", joined_cell_on=dt.date(2020, 1, 1)
        )
    )


def test_award_goes_to_a_member_or_a_named_guest(groups):
    session = make_session(status="held")
    refused(lambda: Award.objects.create(session=session, prize="Giải Nhất"))
    refused(
        lambda: Award.objects.create(
            session=session, prize="Giải Nhất", member=make_member(groups[0]), guest_name="Khách"
        )
    )


def test_document_is_a_file_or_a_link():
    session = make_session()
    refused(lambda: Document.objects.create(session=session, title="Trống"))
