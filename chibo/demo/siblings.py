"""The demo cell's sibling cells and the committee's officer login.

The demo shows what a committee sees: besides the seed cell, five cells under
the same committee, of different sizes and habits — a large cell that keeps
its rhythm, one that missed a quarter in 2020, one with weak attendance (a few
members absent without excuse again and again), and a small cell of one group
without a chi ủy. Each has its groups, members, an approved plan for 2020 and
for the current year, and the attendance sheet of every held session.

Drawn from a generator seeded with the cell's name, so every load writes the
same cells. A cell already there is left alone (it may be a secretary's by
now): loading twice changes nothing. Rows are written in bulk, with history,
as ``chibo.demo.bulk`` writes them, to keep ``load_demo`` quick.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from chibo.demo.bulk import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, TOPICS
from chibo.lib.roles import COMMITTEE
from chibo.lib.text import vietnamese_sort_key
from members.models import Member, Organisation, PartyGroup, Role
from sessions.figures import refresh_figures
from sessions.grading import scheme_on
from sessions.models import AnnualPlan, Attendance, ThematicSession
from sessions.reports.sending import send_report
from sessions.sent import send_plan

# The committee officer's login, at the seed cell's committee.
COMMITTEE_LOGIN = COMMITTEE
COMMITTEE_OFFICER = "Hoàng Thị Thanh Bình"

# Habits of a cell, as a committee would notice them.
STEADY = "steady"
MISSED_QUARTER = "missed_quarter"  # no thematic session in the third quarter of 2020
WEAK_ATTENDANCE = "weak_attendance"  # rate under CHIBO_GOOD_ATTENDANCE_PERCENT, a few flagged

MISSED = 3  # the quarter the cell of MISSED_QUARTER skipped in 2020


@dataclass(frozen=True)
class Sibling:
    name: str
    members: int
    groups: list
    habit: str = STEADY
    has_committee: bool = True


SIBLINGS = [
    Sibling(
        "Chi bộ Sở Tư pháp",
        45,
        ["Tổ 1 – Văn phòng", "Tổ 2 – Thanh tra", "Tổ 3 – Hành chính tư pháp",
         "Tổ 4 – Bổ trợ tư pháp", "Tổ 5 – Phổ biến giáo dục pháp luật"],
    ),
    Sibling(
        "Chi bộ Sở Y tế",
        30,
        ["Tổ 1 – Văn phòng", "Tổ 2 – Nghiệp vụ y", "Tổ 3 – Nghiệp vụ dược",
         "Tổ 4 – Kế hoạch, Tài chính"],
        habit=MISSED_QUARTER,
    ),
    Sibling(
        "Chi bộ Sở Giáo dục và Đào tạo",
        22,
        ["Tổ 1 – Văn phòng", "Tổ 2 – Giáo dục trung học", "Tổ 3 – Tổ chức cán bộ"],
        habit=WEAK_ATTENDANCE,
    ),
    Sibling("Chi bộ Sở Tài chính", 18, ["Tổ 1 – Văn phòng, Thanh tra", "Tổ 2 – Nghiệp vụ"]),
    Sibling("Chi bộ Báo Lạng Sơn", 8, ["Tổ Đảng"], has_committee=False),
]  # fmt: skip

# (month, day) of the year's thematic sessions: at least one a quarter.
NINE = dt.time(9, 0)
DATES = [(2, 20), (4, 16), (7, 14), (9, 17), (11, 19)]
CONCLUSION = (
    "Chi bộ thống nhất nhận thức về nội dung chuyên đề; giao các tổ Đảng cụ thể hóa "
    "trong chương trình công tác."
)
REASONS = ["Đi công tác", "Nghỉ ốm", "Đi học lớp bồi dưỡng", "Việc gia đình", "Nghỉ phép"]


def at(year, month, day, hour):
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


class SiblingLoader:
    """Writes the sibling cells missing under ``committee``; ``created`` counts the rows."""

    def __init__(
        self, committee: Organisation, *, today: dt.date, template: Organisation, password: str
    ):
        self.committee = committee
        self.password = password
        self.today = today
        self.now = timezone.now()
        self.template = template  # the seed cell: its superior's name, its place name
        self.created = 0

    def run(self) -> int:
        for spec in SIBLINGS:
            self.load_cell(spec)
        self.load_officer()
        return self.created

    def add(self, model, rows):
        rows = bulk_create_with_history(rows, model)
        self.created += len(rows)
        return rows

    def load_officer(self):
        user, created = User.objects.get_or_create(username=COMMITTEE_LOGIN)
        if created:
            user.set_password(self.password)
            user.first_name = COMMITTEE_OFFICER
            user.save()
            self.created += 1
        _role, created = Role.objects.get_or_create(
            user=user, organisation=self.committee, defaults={"kind": COMMITTEE}
        )
        self.created += created

    def load_cell(self, spec: Sibling):
        cell, created = Organisation.objects.get_or_create(
            parent=self.committee,
            name=spec.name,
            defaults={
                "kind": Organisation.Kind.CELL,
                "superior_name": self.template.superior_name,
                "has_committee": spec.has_committee,
                "place_name": self.template.place_name or "Lạng Sơn",
                "number_prefix": "CB",
            },
        )
        if not created:
            return  # made by an earlier load, and perhaps edited since: leave it alone
        self.created += 1
        rng = random.Random(spec.name)
        groups = self.add(
            PartyGroup,
            [
                PartyGroup(cell=cell, name=name, order=order)
                for order, name in enumerate(spec.groups, start=1)
            ],
        )
        members = self.add(Member, self.draw_members(cell, spec, groups, rng))
        for group in groups:
            # The group's leader: its first member after the officers.
            of_group = [m for m in members if m.group_id == group.pk]
            group.leader = of_group[1] if len(of_group) > 1 else of_group[0]
            group.save(update_fields=["leader"])
        self.load_plan(cell, spec, members, 2020, rng)
        if self.today.year != 2020:
            self.load_plan(cell, spec, members, self.today.year, rng)

    def draw_members(self, cell, spec, groups, rng):
        used, members = set(), []
        positions = [Member.Position.SECRETARY]
        if spec.has_committee:
            positions += [Member.Position.DEPUTY_SECRETARY, Member.Position.COMMITTEE]
        else:
            positions += [Member.Position.DEPUTY_SECRETARY]
        for index in range(spec.members):
            while True:
                sex = rng.choice("mf")
                name = " ".join(
                    [
                        rng.choice(FAMILY_NAMES),
                        rng.choice(MIDDLE_NAMES[sex]),
                        rng.choice(GIVEN_NAMES[sex]),
                    ]
                )
                if name not in used:
                    used.add(name)
                    break
            # Everyone was in the cell before 2020: the sheets expect them all.
            joined_cell = dt.date(rng.randint(2000, 2019), rng.randint(1, 12), rng.randint(1, 28))
            joined_party = joined_cell - dt.timedelta(days=rng.randint(0, 10 * 365))
            members.append(
                Member(
                    cell=cell,
                    full_name=name,
                    sort_name=vietnamese_sort_key(name),
                    group=groups[index % len(groups)],
                    standing=Member.Standing.FULL,
                    position=positions[index] if index < len(positions) else Member.Position.MEMBER,
                    joined_party_on=joined_party,
                    joined_cell_on=joined_cell,
                )
            )
        return members

    def load_plan(self, cell, spec, members, year, rng):
        approved = dt.date(year, 1, rng.randint(6, 20))
        (plan,) = self.add(
            AnnualPlan,
            [
                AnnualPlan(
                    cell=cell,
                    year=year,
                    title=f"Kế hoạch sinh hoạt chuyên đề năm {year}",
                    status=AnnualPlan.Status.APPROVED,
                    approved_on=approved,
                    notes="Chi bộ thông qua.",
                )
            ],
        )
        dates = DATES
        if spec.habit == MISSED_QUARTER and year == 2020:
            dates = [(m, d) for m, d in DATES if (m - 1) // 3 + 1 != MISSED]
        topics = rng.sample(TOPICS, len(dates))
        secretary, minute_taker = members[0], members[-1]
        sessions = []
        for index, ((month, day), topic) in enumerate(zip(dates, topics, strict=True)):
            start = at(year, month, day, rng.choice([8, 14]))
            while start.weekday() >= 5:
                start += dt.timedelta(days=1)
            end = start + dt.timedelta(minutes=120)
            session = ThematicSession(
                plan=plan,
                topic=topic,
                description=f"Chi bộ sinh hoạt chuyên đề “{topic}”.",
                format=ThematicSession.Format.PRESENTATION,
                start=start,
                end=end,
                location="Phòng họp cơ quan",
                preparer=members[1 + index % (len(members) - 1)],
                presiding=secretary,
                minute_taker=minute_taker,
                draft_approved_on=(start - dt.timedelta(days=10)).date(),
            )
            if end < self.now:
                score = rng.randint(70, 95)
                session.status = ThematicSession.Status.HELD
                session.draft_sent_at = start - dt.timedelta(days=5)
                session.score = score
                session.grade = scheme_on(session.day).grade_for(score)
                session.conclusion = CONCLUSION
                session.minutes = f"Chủ trì: {secretary}. Thư ký: {minute_taker}. {CONCLUSION}"
                session.attendance_version = 1
            sessions.append(session)
        sessions = self.add(ThematicSession, sessions)
        held = [s for s in sessions if s.status == ThematicSession.Status.HELD]
        self.add(Attendance, self.draw_attendance(spec, members, held, rng))
        if held:
            refresh_figures(sessions=held)
        # Sent to the committee a few days after it was approved; the small
        # cell sends late, after the deadline (sessions.sent.due_date).
        days = 45 if not spec.has_committee else 5
        sent = timezone.make_aware(dt.datetime.combine(approved + dt.timedelta(days=days), NINE))
        if sent < self.now:
            send_plan(plan=plan, user=None, now=sent)
        # The year's report, sent in December; the cell with weak attendance
        # has not sent its own, and the committee sees it overdue.
        reported = timezone.make_aware(dt.datetime.combine(dt.date(year, 12, 10), NINE))
        if reported < self.now and spec.habit != WEAK_ATTENDANCE:
            send_report(cell=cell, year=year, user=None, now=reported)

    def draw_attendance(self, spec, members, held, rng):
        weak = spec.habit == WEAK_ATTENDANCE
        present_chance = 0.8 if weak else 0.94
        # In the weak cell, three members stay away without excuse at three
        # sessions a year: the flag of CHIBO_UNEXCUSED_ABSENCES_PER_YEAR.
        truants = {m.pk for m in members[-3:]} if weak else set()
        truant_sessions = {s.pk for s in held[:3]}
        rows = []
        for session in held:
            for member in members:
                if member.pk in truants and session.pk in truant_sessions:
                    status, reason = Attendance.Status.UNEXCUSED, ""
                elif rng.random() < present_chance or member.pk in truants:
                    status, reason = Attendance.Status.PRESENT, ""
                elif rng.random() < 0.8:
                    status, reason = Attendance.Status.EXCUSED, rng.choice(REASONS)
                else:
                    status, reason = Attendance.Status.UNEXCUSED, ""
                rows.append(
                    Attendance(
                        session=session,
                        member=member,
                        group=member.group,
                        status=status,
                        reason=reason,
                    )
                )
        return rows
