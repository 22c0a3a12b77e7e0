"""save_attendance_sheet on its own: one transaction, versions, history, no duplicates."""

import threading

import pytest
from django.db import OperationalError, connection

from sessions import services
from sessions.models import Attendance, ThematicSession
from sessions.services import AttendanceEntry, SessionRecord, StaleAttendanceSheet
from tests.factories import at, make_member, make_session

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


def entries(session, **statuses):
    return [
        AttendanceEntry(
            member_id=member.pk,
            group_id=member.group_id,
            status=statuses.get(member.full_name, P),
            reason="Ốm" if statuses.get(member.full_name) == E else "",
        )
        for member in session.expected_members()
    ]


@pytest.fixture
def session(db, groups, now):
    make_member(groups[0], "Vi Thị Thu Hà")
    make_member(groups[1], "Chu Thị Hằng")
    return make_session(start=at(2020, 5, 19))


def test_first_save_marks_held_writes_rows_and_raises_the_version(session, secretary):
    version = services.save_attendance_sheet(
        session=session,
        version=0,
        entries=entries(session, **{"Chu Thị Hằng": E}),
        record=SessionRecord(conclusion="Kết luận"),
        user=secretary,
    )
    assert version == 1
    session.refresh_from_db()
    assert (session.status, session.conclusion) == ("held", "Kết luận")
    rows = Attendance.objects.filter(session=session)
    assert sorted(rows.values_list("status", flat=True)) == [E, P, P]
    assert {row.history.get().history_user for row in rows} == {secretary}
    assert session.history.first().status == "held"  # the session's change is in its history


def test_a_stale_version_writes_nothing(session):
    services.save_attendance_sheet(session=session, version=0, entries=entries(session))
    stale = ThematicSession.objects.get(pk=session.pk)
    stale.attendance_version = 0
    with pytest.raises(StaleAttendanceSheet):
        services.save_attendance_sheet(
            session=stale,
            version=0,
            entries=entries(session, **{"Vi Thị Thu Hà": U}),
            record=SessionRecord(conclusion="Ghi đè"),
        )
    session.refresh_from_db()
    assert (session.attendance_version, session.conclusion) == (1, "")
    assert not Attendance.objects.filter(status=U).exists()


def test_saving_twice_updates_only_what_changed(session):
    services.save_attendance_sheet(session=session, version=0, entries=entries(session))
    services.save_attendance_sheet(
        session=session, version=1, entries=entries(session, **{"Vi Thị Thu Hà": U})
    )
    assert Attendance.objects.filter(session=session).count() == 2
    changed = Attendance.objects.get(member__full_name="Vi Thị Thu Hà")
    assert changed.status == U
    assert changed.history.count() == 2
    unchanged = Attendance.objects.get(member__full_name="Chu Thị Hằng")
    assert unchanged.history.count() == 1


def test_temporary_attendees_are_recorded_apart_and_can_be_removed(session):
    visitor = make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ khác")
    services.save_attendance_sheet(
        session=session, version=0, entries=entries(session), temporary_ids=[visitor.pk]
    )
    row = Attendance.objects.get(member=visitor)
    assert (row.temporary, row.status) == (True, P)
    assert session.attendance_figures().expected == 2
    services.save_attendance_sheet(session=session, version=1, entries=entries(session))
    assert not Attendance.objects.filter(member=visitor).exists()


def test_a_regular_member_cannot_be_passed_as_a_temporary_attendee(session, groups):
    regular = make_member(groups[0], "Không tạm thời", joined=at(2021, 1, 1).date())
    services.save_attendance_sheet(
        session=session, version=0, entries=entries(session), temporary_ids=[regular.pk]
    )
    assert not Attendance.objects.filter(member=regular).exists()


def test_no_sheet_for_a_future_or_cancelled_session(db, groups, now):
    future = make_session(start=at(2020, 9, 1))
    with pytest.raises(services.ServiceError, match="chưa diễn ra"):
        services.save_attendance_sheet(session=future, version=0, entries=[])
    cancelled = make_session(start=at(2020, 4, 1), status="cancelled")
    with pytest.raises(services.ServiceError, match="đã bị hủy"):
        services.save_attendance_sheet(session=cancelled, version=0, entries=[])


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_keep_only_the_first(groups, now):
    """Two threads save the same version at once: one wins, the other is told."""
    make_member(groups[0], "Vi Thị Thu Hà")
    session = make_session(start=at(2020, 5, 19))
    lines = entries(session)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(conclusion):
        copy = ThematicSession.objects.get(pk=session.pk)
        barrier.wait()
        try:
            services.save_attendance_sheet(
                session=copy,
                version=0,
                entries=lines,
                record=SessionRecord(conclusion=conclusion),
            )
            outcomes.append("saved")
        except StaleAttendanceSheet:
            outcomes.append("stale")
        except OperationalError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "sqlite":
        # The in-memory test database refuses the second writer outright ("table
        # is locked") where a file database would make it wait, then find the
        # version raised; either way only one save is written.
        assert sorted(outcomes) in (["saved", "stale"], ["database table is locked", "saved"])
    else:
        assert sorted(outcomes) == ["saved", "stale"]
    assert Attendance.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.attendance_version == 1
