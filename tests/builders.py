"""Larger data for the members' and leaders' pages: the demo cell, and cells at scale."""

import datetime as dt
import itertools
from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from chibo.lib.roles import SECRETARY
from chibo.lib.text import vietnamese_sort_key
from members.models import Exemption, Member, Organisation, PartyGroup, single_cell
from sessions.figures import refresh_cell
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Photo,
    ThematicSession,
)
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
from tests.images import image_bytes

DEMO_TODAY = at(2026, 11, 24, 9, 0)
_counter = itertools.count(1)


def load_demo_at(monkeypatch, moment=DEMO_TODAY):
    """The demo cell as loaded at ``moment`` (the clock stays there for the test)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    call_command("load_demo", stdout=StringIO())


def grow_cell(n_members, years, sessions_per_year=8, n_groups=4):
    """A cell of ``n_members`` over ``years``, every session held and recorded.

    Written with plain ``bulk_create`` (tests need no history): groups, members
    (one attending temporarily, one who left, one exempt for a while), a
    session held group by group and a contest each year, guests, photos, and
    an attendance row per member and session with a few absences.
    """
    run = next(_counter)
    cell = single_cell()
    groups = [
        PartyGroup.objects.create(cell=cell, name=f"Tổ {run}-{n}", order=n)
        for n in range(1, n_groups + 1)
    ]
    first_year = min(years)
    members = Member.objects.bulk_create(
        Member(
            cell=cell,
            full_name=f"Đảng viên {run} số {n}",
            sort_name=vietnamese_sort_key(f"Đảng viên {run} số {n}"),
            group=groups[n % n_groups],
            joined_cell_on=dt.date(first_year - 1, 1, 1),
            calendar_token=f"token-{run}-{n}",
        )
        for n in range(n_members)
    )
    Member.objects.filter(pk=members[-1].pk).update(
        left_cell_on=dt.date(max(years), 6, 1), left_reason=Member.LeaveReason.TRANSFER
    )
    Exemption.objects.create(
        member=members[-2],
        starts_on=dt.date(first_year, 3, 1),
        ends_on=dt.date(first_year, 9, 30),
        reason="Điều trị bệnh",
    )
    visitor = Member.objects.create(
        cell=cell,
        full_name=f"Khách tạm thời {run}",
        temporary=True,
        joined_cell_on=dt.date(first_year, 1, 1),
        calendar_token=f"token-{run}-visitor",
    )
    statuses = [Attendance.Status.PRESENT] * 8 + [
        Attendance.Status.EXCUSED,
        Attendance.Status.UNEXCUSED,
    ]
    for year in years:
        plan, _ = AnnualPlan.objects.get_or_create(
            cell=cell, year=year, defaults={"title": f"Kế hoạch năm {year}"}
        )
        sessions = ThematicSession.objects.bulk_create(
            ThematicSession(
                plan=plan,
                topic=f"Chuyên đề {run}-{year}-{n}",
                start=at(year, 1 + n * 11 // sessions_per_year, 10, 8),
                end=at(year, 1 + n * 11 // sessions_per_year, 10, 10),
                status=ThematicSession.Status.HELD,
                scope=ThematicSession.Scope.GROUPS if n == 2 else ThematicSession.Scope.CELL,
                format=ThematicSession.Format.CONTEST if n == 0 else ThematicSession.Format.SEMINAR,
                preparer=members[n],
                guest_count=n,
                grade="good" if n % 2 else "fair",
                score=90 if n % 2 else 75,
            )
            for n in range(sessions_per_year)
        )
        GroupMeeting.objects.bulk_create(
            GroupMeeting(
                session=sessions[2], group=group, start=sessions[2].start, end=sessions[2].end
            )
            for group in groups
        )
        ContestTeam.objects.bulk_create(
            ContestTeam(session=sessions[0], group=group, score=10 * n, rank=n_groups - n + 1)
            for n, group in enumerate(groups, start=1)
        )
        Award.objects.bulk_create(
            [
                Award(session=sessions[0], prize="Giải Nhất", member=members[0]),
                Award(session=sessions[0], prize="Giải Khuyến khích", guest_name="Quần chúng"),
            ]
        )
        Photo.objects.bulk_create(
            Photo(session=session, image=f"photos/{run}-{session.pk}-{n}.jpg", caption="Ảnh")
            for session in sessions
            for n in range(3)
        )
        rows = []
        for s_index, session in enumerate(sessions):
            for m_index, member in enumerate(members):
                status = statuses[(s_index + m_index) % len(statuses)]
                rows.append(
                    Attendance(
                        session=session,
                        member=member,
                        group=member.group,
                        status=status,
                        reason="Đi công tác" if status == Attendance.Status.EXCUSED else "",
                    )
                )
            rows.append(Attendance(session=session, member=visitor, temporary=True))
        Attendance.objects.bulk_create(rows, batch_size=2000)
    # The figures the sheet's save keeps, kept for the rows written in bulk.
    refresh_cell(cell)
    return members


# Every name of the sibling cell carries this mark (its own name does not:
# the names of the cells are not secret, their members and records are).
SIBLING_MARK = "Kim Đồng"
SIBLING_FILE_MARK = "kim-dong"


def sibling_cell(year: int) -> dict:
    """A cell beside the demo's (or the test's) one, with something behind every URL.

    Its members, groups, sessions, documents, photos and team are named with
    ``SIBLING_MARK``, its files with ``SIBLING_FILE_MARK``: a page of another
    cell showing any of them leaks. A plan for 2020 and for ``year``, a held
    contest session of ``year`` with attendance (and a member attending
    temporarily), a planned one, a document and a photo with their files.
    """
    cell = Organisation.objects.create(
        name="Chi bộ Trường Tiểu học số 2", kind=Organisation.Kind.CELL, parent=single_cell().parent
    )
    group = make_group("Tổ Kim Đồng 1", order=1, cell=cell)
    empty_group = make_group("Tổ Kim Đồng 2", order=2, cell=cell)
    archived_group = make_group("Tổ Kim Đồng cũ", order=3, cell=cell, is_active=False)
    member = make_member(group, "Bế Văn Kim Đồng")
    secretary = make_member(group, "Ma Thị Kim Đồng", position="secretary")
    make_user("b-secretary", SECRETARY, secretary)
    temporary = make_member(
        None, "Lò Văn Kim Đồng", temporary=True, home_cell="Chi bộ nơi khác", cell=cell
    )
    exemption = make_exemption(member, dt.date(2020, 1, 2), dt.date(2020, 1, 31))
    make_plan(2020, cell=cell)
    plan = make_plan(year, cell=cell)
    held = make_session(plan, start=at(year, 3, 12), topic="Chuyên đề Kim Đồng", format="contest")
    record(held, temporary=[temporary])
    planned = make_session(plan, start=at(year, 9, 10), topic="Kế hoạch Kim Đồng")
    document = Document(session=held, title="Đề dẫn Kim Đồng", kind=Document.Kind.DRAFT)
    document.file.save("de-dan-kim-dong.pdf", ContentFile(b"%PDF-1.4 kim dong"), save=True)
    photo = Photo(session=held, caption="Hội trường Kim Đồng")
    photo.image.save("kim-dong.jpg", ContentFile(image_bytes()), save=True)
    photo.thumbnail.save("kim-dong-nho.jpg", ContentFile(image_bytes()), save=True)
    ContestTeam.objects.create(session=held, group=group, name="Đội Kim Đồng", score=9)
    return {
        "cell": cell,
        "group": group,
        "empty_group": empty_group,
        "archived_group": archived_group,
        "member": member,
        "temporary": temporary,
        "exemption": exemption,
        "plan": plan,
        "held": held,
        "planned": planned,
        "document": document,
        "photo": photo,
    }
