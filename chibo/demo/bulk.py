"""Years of realistic data for benchmarks: a cell, or a large organisation.

``load_bulk`` fills an empty database with what a cell accumulates over the
years: members who join, move between groups, are exempt for a while and
leave; members attending temporarily from another cell; a plan each year with
its sessions (whole cell or group by group, contests with teams and awards,
some postponed or cancelled), the attendance sheet of every held session,
documents and photos. Everything is written with bulk inserts (with history,
as the rest of Chibo), in one transaction, and respects every constraint of
the database, including the trigger that only allows attendance on held
sessions: sessions are created held before their attendance rows.

The data is drawn from a seeded random generator, so a seed gives the same
cell on every run (only secrets and the upload times differ).
"""

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo.demo.pictures import draw_scene
from chibo.lib.files import discard
from chibo.lib.roles import LEADER, MEMBER, SECRETARY
from chibo.lib.text import vietnamese_sort_key
from members.models import Exemption, Member, Organisation, PartyGroup, Role, single_cell
from members.versions import one_renewal
from sessions.figures import refresh_figures
from sessions.grading import scheme_on
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Photo,
    Postponement,
    ThematicSession,
)
from sessions.reports.sending import send_report
from sessions.sent import send_plan

BATCH = 2000


@dataclass(frozen=True)
class Size:
    """How much data: members in the cell today, groups, years of sessions."""

    members: int
    groups: int
    years: int
    sessions_per_year: int
    photos_per_session: int = 3
    temporary_members: int = 2
    cells: int = 1  # more than one: sibling cells of this size under one committee


SIZES = {
    # The model case: a cell of 30 members in 4 groups, about one session a month.
    "cell": Size(members=30, groups=4, years=10, sessions_per_year=12),
    # A large organisation: 300 members, 20 groups, two sessions a month for 20 years.
    "large": Size(members=300, groups=20, years=20, sessions_per_year=24, temporary_members=10),
    # A committee hosting its cells: 200 cells like the model case, 3 years each
    # (the years a committee compares), without photos (drawing them is most of
    # the time, and no committee page shows them).
    "committee": Size(
        members=30, groups=4, years=3, sessions_per_year=12, photos_per_session=0, cells=200
    ),
}

# Share of the cell leaving each year (transfers, retirement…), replaced by newcomers.
YEARLY_DEPARTURES = 0.03

DEPARTMENTS = [
    "Văn phòng",
    "Tổ chức",
    "Kiểm tra",
    "Tuyên giáo",
    "Nữ công",
    "Chính sách – Pháp luật",
    "Quan hệ lao động",
    "Tài chính",
    "Kế toán",
    "Thi đua – Khen thưởng",
    "Công đoàn viên chức",
    "Công đoàn ngành Giáo dục",
    "Công đoàn ngành Y tế",
    "Công đoàn các khu công nghiệp",
    "Nhà văn hóa lao động",
    "Trung tâm tư vấn pháp luật",
    "Báo Lao động tỉnh",
    "Quỹ trợ vốn",
    "Cơ quan Ủy ban Kiểm tra",
    "Đội xe, bảo vệ",
]
FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Nông", "Lương", "Hà", "Vi", "Lộc", "Bế", "Đinh", "Lăng", "Chu",
    "Mã", "Phùng", "Tô", "La", "Vy", "Hứa", "Đàm", "Lâm", "Triệu", "Hoàng",
]  # fmt: skip
MIDDLE_NAMES = {
    "m": ["Văn", "Minh", "Đức", "Hữu", "Quang", "Thanh", "Xuân", "Ngọc", "Công", "Đình"],
    "f": ["Thị", "Thị Thu", "Thị Thanh", "Thị Ngọc", "Thị Kim", "Thu", "Thanh", "Minh"],
}
GIVEN_NAMES = {
    "m": ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khải", "Long", "Minh", "Nam",
          "Phúc", "Quý", "Sơn", "Thắng", "Tiến", "Tuấn", "Việt", "Vinh", "Khang", "Lực", "Hưng"],
    "f": ["Anh", "Dung", "Hà", "Hằng", "Hoa", "Huệ", "Hương", "Huyền", "Lan", "Lệ", "Linh",
          "Mai", "Nga", "Oanh", "Phương", "Thảo", "Thủy", "Tuyết", "Yến", "Ngọc", "Trang"],
}  # fmt: skip
TOPICS = [
    "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc của Đảng",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Đại diện, bảo vệ quyền lợi hợp pháp, chính đáng của người lao động",
    "Chuyển đổi số trong hoạt động công đoàn",
    "Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh",
    "Tìm hiểu Điều lệ Công đoàn Việt Nam",
    "Tìm hiểu lịch sử Đảng Cộng sản Việt Nam",
    "Công tác phát triển đảng viên trong công nhân lao động",
    "Thực hiện dân chủ ở cơ sở",
    "Trách nhiệm nêu gương của cán bộ, đảng viên",
    "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
    "Tiết kiệm, chống lãng phí trong cơ quan",
    "Chăm lo đời sống đoàn viên, người lao động dịp Tết",
    "Phong trào thi đua yêu nước trong công nhân viên chức",
    "Công tác kiểm tra, giám sát của chi bộ",
    "Xây dựng quan hệ lao động hài hòa, ổn định, tiến bộ",
    "Quán triệt Chỉ thị của Bộ Chính trị về đại hội đảng bộ các cấp",
]
CONTEST_TOPICS = [
    "Rung chuông vàng – Tìm hiểu lịch sử Đảng Cộng sản Việt Nam",
    "Đường lên đỉnh Olympia – Tìm hiểu Điều lệ Công đoàn Việt Nam",
    "Hội thi tìm hiểu pháp luật lao động",
]
FORMATS = [
    (ThematicSession.Format.PRESENTATION, 55),
    (ThematicSession.Format.SEMINAR, 20),
    (ThematicSession.Format.FIELD_VISIT, 8),
    (ThematicSession.Format.ONLINE, 5),
    (ThematicSession.Format.OTHER, 4),
]
ABSENCE_REASONS = [
    "Đi công tác",
    "Nghỉ ốm",
    "Đi học lớp bồi dưỡng",
    "Việc gia đình",
    "Nghỉ phép",
    "Con ốm",
]
EXEMPTION_REASONS = ["Điều trị bệnh dài ngày", "Nghỉ chế độ thai sản", "Đi học tập trung dài hạn"]
LEAVE_REASONS = [
    (Member.LeaveReason.TRANSFER, "Chuyển sinh hoạt đến chi bộ khác trong Đảng bộ"),
    (Member.LeaveReason.RETIREMENT, "Nghỉ hưu, chuyển sinh hoạt về nơi cư trú"),
    (Member.LeaveReason.TRANSFER, "Chuyển công tác ra ngoài tỉnh"),
]
HOME_CELLS = ["Chi bộ Trường Chính trị tỉnh", "Chi bộ Sở Lao động", "Chi bộ Báo tỉnh"]
COVID_YEARS = (2020, 2021)


class NotEmptyError(Exception):
    """The database already holds a cell: load_bulk only fills an empty one."""


@dataclass
class Person:
    """A member as drawn, before and after being written."""

    name: str
    group: int
    joined: dt.date
    left: dt.date | None = None
    moved_on: dt.date | None = None  # before this day they were in ``old_group``
    old_group: int | None = None
    temporary: bool = False
    reliability: float = 0.93  # chance of being present
    exemptions: list = field(default_factory=list)  # [(start, end or None)]
    obj: Member | None = None

    def in_cell_on(self, day):
        return self.joined <= day and (self.left is None or self.left > day)

    def exempt_on(self, day):
        return any(start <= day and (end is None or end >= day) for start, end in self.exemptions)

    def group_on(self, day):
        return self.old_group if self.moved_on and day < self.moved_on else self.group


class BulkLoader:
    """Draws a cell of ``size`` and writes it; ``counts`` says what it wrote."""

    def __init__(self, size: Size, seed: int = 1, today: dt.date | None = None):
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.first_year = self.today.year - size.years + 1
        self.start_day = dt.date(self.first_year, 1, 1)
        self.counts: dict[str, int] = {}
        self.used_names: set[str] = set()
        self.stored_files: list[str] = []
        self.tables: set[str] = set()
        self.cell = None  # the cell being written
        self.login_prefix = ""  # before dv0001…: none in the first cell, "cb002-"… after
        self.sender = None  # the secretary's login, who sends to the committee

    # --- Entry point ---------------------------------------------------------

    def run(self) -> dict[str, int]:
        if Member.objects.exists() or AnnualPlan.objects.exists():
            raise NotEmptyError(
                f"Cơ sở dữ liệu đã có {Member.objects.count()} đảng viên và "
                f"{AnnualPlan.objects.count()} kế hoạch. load_bulk chỉ nạp vào một cơ sở "
                "dữ liệu trống (vừa chạy migrate), để không trộn dữ liệu thử với dữ liệu thật."
            )
        try:
            with transaction.atomic(), one_renewal():
                for number, cell in enumerate(self.write_cells(), start=1):
                    self.cell = cell
                    self.login_prefix = f"cb{number:03d}-" if number > 1 else ""
                    self.used_names = set()
                    self.write_groups()
                    self.write_members()
                    self.write_users()
                    for year in range(self.first_year, self.today.year + 1):
                        self.write_year(year)
        except BaseException:
            discard(self.stored_files)  # the rows are gone: so are their files
            raise
        self.analyze()
        return self.counts

    def analyze(self):
        """Give PostgreSQL's planner statistics of the new rows, as autovacuum soon would.

        Right after a bulk load it has none, guesses that a year holds one
        session, and picks plans that are slow at the large size.
        """
        if connection.vendor != "postgresql":
            return
        tables = ", ".join(connection.ops.quote_name(table) for table in sorted(self.tables))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

    def add(self, model, rows, history=True):
        self.tables.add(model._meta.db_table)
        if history:
            self.tables.add(model.history.model._meta.db_table)
            rows = bulk_create_with_history(rows, model, batch_size=BATCH)
        else:
            rows = model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)
        return rows

    def store(self, name: str, content: bytes) -> str:
        stored = default_storage.save(name, ContentFile(content))
        self.stored_files.append(stored)
        return stored

    # --- Cells, groups, members, logins ------------------------------------

    def write_cells(self) -> list[Organisation]:
        """The database's one cell, and at the committee size its siblings under its committee."""
        first = single_cell()
        siblings = [
            Organisation(
                kind=Organisation.Kind.CELL,
                parent=first.parent,
                name=f"Chi bộ số {number}",
                superior_name=first.superior_name,
            )
            for number in range(2, self.size.cells + 1)
        ]
        if siblings:
            siblings = self.add(Organisation, siblings)
        return [first, *siblings]

    def write_groups(self):
        groups = [
            PartyGroup(
                cell=self.cell,
                name=f"Tổ {n} – {DEPARTMENTS[(n - 1) % len(DEPARTMENTS)]}",
                order=n,
            )
            for n in range(1, self.size.groups + 1)
        ]
        self.groups = self.add(PartyGroup, groups)

    def draw_name(self):
        while True:
            sex = self.rng.choice("mf")
            name = " ".join(
                [
                    self.rng.choice(FAMILY_NAMES),
                    self.rng.choice(MIDDLE_NAMES[sex]),
                    self.rng.choice(GIVEN_NAMES[sex]),
                ]
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def draw_day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange(max(1, (last - first).days)))

    def draw_people(self) -> list[Person]:
        size, rng = self.size, self.rng
        people = []
        # Today's members: most were there before the first year, the others
        # joined along the way.
        for index in range(size.members):
            if rng.random() < 0.6:
                joined = self.draw_day(self.start_day - dt.timedelta(days=20 * 365), self.start_day)
            else:
                joined = self.draw_day(self.start_day, self.today)
            people.append(Person(self.draw_name(), index % size.groups, joined))
        # Members who have left since the first year: about 3 % of the cell a year.
        for _ in range(round(size.members * YEARLY_DEPARTURES * size.years)):
            joined = self.draw_day(
                self.start_day - dt.timedelta(days=15 * 365), self.today - dt.timedelta(days=120)
            )
            left = self.draw_day(max(joined, self.start_day) + dt.timedelta(days=60), self.today)
            people.append(Person(self.draw_name(), rng.randrange(size.groups), joined, left))
        for person in people:
            person.reliability = rng.choice([0.97, 0.95, 0.93, 0.9, 0.85, 0.75])
            # About one in ten moved from another group once.
            if size.groups > 1 and rng.random() < 0.1:
                first = max(person.joined, self.start_day) + dt.timedelta(days=30)
                last = person.left or self.today
                if first < last:
                    person.moved_on = self.draw_day(first, last)
                    person.old_group = (person.group + 1 + rng.randrange(size.groups - 1)) % (
                        size.groups
                    )
        # Exemptions: one member in fifteen, a few of them open-ended.
        for person in rng.sample(people, max(1, len(people) // 15)):
            start = self.draw_day(max(person.joined, self.start_day), person.left or self.today)
            if rng.random() < 0.2 and person.left is None:
                person.exemptions.append((start, None))
            else:
                person.exemptions.append((start, start + dt.timedelta(days=rng.randint(60, 240))))
        # Attending temporarily from another cell (sinh hoạt tạm thời).
        for index in range(size.temporary_members):
            joined = self.draw_day(self.start_day, self.today - dt.timedelta(days=30))
            left = joined + dt.timedelta(days=rng.randint(180, 900))
            people.append(
                Person(
                    self.draw_name(),
                    index % size.groups,
                    joined,
                    left if left < self.today else None,
                    temporary=True,
                    reliability=0.9,
                )
            )
        return people

    def write_members(self):
        self.people = self.draw_people()
        regulars = [p for p in self.people if not p.temporary]
        # The cell's officers are today's longest-standing members.
        officers = sorted((p for p in regulars if p.left is None), key=lambda p: p.joined)
        committee = max(3, self.size.members // 50)
        positions = {id(officers[0]): Member.Position.SECRETARY}
        positions[id(officers[1])] = Member.Position.DEPUTY_SECRETARY
        for person in officers[2 : 2 + committee]:
            positions[id(person)] = Member.Position.COMMITTEE
        members = []
        for person in self.people:
            reason, note = ("", "")
            if person.left is not None:
                reason, note = self.rng.choice(LEAVE_REASONS)
            joined_party = person.joined - dt.timedelta(days=self.rng.randint(0, 12 * 365))
            probationary = (self.today - joined_party).days < 365
            member = Member(
                cell=self.cell,
                full_name=person.name,
                sort_name=vietnamese_sort_key(person.name),
                group=self.groups[person.group],
                standing=Member.Standing.PROBATIONARY if probationary else Member.Standing.FULL,
                position=positions.get(id(person), Member.Position.MEMBER),
                joined_party_on=joined_party,
                joined_cell_on=person.joined,
                left_cell_on=person.left,
                left_reason=reason,
                left_note=note,
                temporary=person.temporary,
                home_cell=self.rng.choice(HOME_CELLS) if person.temporary else "",
                phone=f"09{self.rng.randrange(10**8):08d}",
            )
            members.append(member)
        for person, member in zip(self.people, self.add(Member, members), strict=True):
            person.obj = member
        self.secretary = officers[0]
        # Each group's leader: its longest-standing current member.
        leaders = {}
        for person in officers:
            leaders.setdefault(person.group, person.obj)
        for index, group in enumerate(self.groups):
            group.leader = leaders.get(index)
        bulk_update_with_history(self.groups, PartyGroup, ["leader"], batch_size=BATCH)
        exemptions = [
            Exemption(
                member=person.obj,
                kind=Exemption.Kind.TEMPORARY if end else Exemption.Kind.EXEMPT,
                starts_on=start,
                ends_on=end,
                reason=self.rng.choice(EXEMPTION_REASONS),
            )
            for person in self.people
            for start, end in person.exemptions
        ]
        self.add(Exemption, exemptions)

    def write_users(self):
        """A login for every member in the cell today (no password: set one to try)."""
        users, roles, linked = [], [], []
        for index, person in enumerate(self.people):
            member = person.obj
            if member.left_cell_on is not None or member.temporary:
                continue
            users.append(
                User(
                    username=f"{self.login_prefix}dv{index + 1:04d}",
                    first_name=member.full_name,
                    password=make_password(None),
                )
            )
            linked.append(member)
        users = User.objects.bulk_create(users, batch_size=BATCH)
        for user, member in zip(users, linked, strict=True):
            member.user = user
            if member.position in (Member.Position.SECRETARY, Member.Position.DEPUTY_SECRETARY):
                role = SECRETARY
            elif member.position == Member.Position.COMMITTEE:
                role = LEADER
            else:
                role = MEMBER
            roles.append(Role(user=user, organisation=self.cell, kind=role))
            if member.position == Member.Position.SECRETARY:
                self.sender = user
        self.tables.add(User._meta.db_table)
        self.add(Role, roles)
        bulk_update_with_history(linked, Member, ["user"], batch_size=BATCH)
        self.counts["User"] = self.counts.get("User", 0) + len(users)

    # --- A year of sessions --------------------------------------------------

    def write_year(self, year):
        rng, size = self.rng, self.size
        approved = dt.date(year, 1, rng.randint(5, 20))
        plan = self.add(
            AnnualPlan,
            [
                AnnualPlan(
                    cell=self.cell,
                    year=year,
                    title=f"Kế hoạch sinh hoạt chuyên đề năm {year}",
                    status=AnnualPlan.Status.APPROVED,
                    approved_on=approved,
                    notes="Chuyên đề gắn với nhiệm vụ chính trị của cơ quan.",
                )
            ],
        )[0]
        count = size.sessions_per_year
        topics = rng.sample(TOPICS, min(count, len(TOPICS)))
        topics += rng.choices(TOPICS, k=count - len(topics))
        # Group by group about once a year, more under Covid-19; a contest or two.
        by_group = set(rng.sample(range(count), min(count // 2, 3 if year in COVID_YEARS else 1)))
        others = sorted(set(range(count)) - by_group)
        contests = set(rng.sample(others, min(len(others) // 2, max(1, count // 10))))
        sessions, postponements = [], []
        for index in range(count):
            sessions.append(
                self.draw_session(
                    plan, index, topics[index], index in by_group, index in contests, postponements
                )
            )
        # The last past session of the current year is not recorded yet: the
        # secretary's home lists it.
        past = [s for s in sessions if s.end < self.now and s.status == ThematicSession.Status.HELD]
        if year == self.today.year and past:
            past[-1].status = ThematicSession.Status.PLANNED
            past[-1].grade, past[-1].score = "", None
        sessions = self.add(ThematicSession, sessions)
        self.add(Postponement, postponements, history=False)
        held = [s for s in sessions if s.status == ThematicSession.Status.HELD]
        self.write_group_meetings([s for s in sessions if s.is_by_group])
        self.write_attendance(held)
        if held:
            # Kept figures, as the sheet's save writes them (sessions.figures).
            refresh_figures(sessions=held)
        self.write_contests([s for s in held if s.format == ThematicSession.Format.CONTEST])
        self.write_documents(sessions)
        self.write_photos(held)
        self.send_up(plan, approved)

    def send_up(self, plan, approved):
        """The plan sent days after its approval, the report in December (now and then late).

        Drawn apart from the cell's generator, so that the rest of the data
        is what the same seed gave before sendings existed.
        """
        rng = random.Random(f"{self.seed}-sent-{plan.year}")
        tz = timezone.get_default_timezone()
        day = approved + dt.timedelta(days=rng.randint(2, 25))
        plan_at = dt.datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        if plan_at <= self.now:
            send_plan(plan=plan, user=self.sender, now=plan_at)
        report_at = dt.datetime(plan.year, 12, rng.randint(1, 22), 9, tzinfo=tz)
        if report_at <= self.now:
            send_report(cell=self.cell, year=plan.year, user=self.sender, now=report_at)

    def session_time(self, year, index):
        """About evenly spread over the year, on a weekday, morning or afternoon."""
        day = dt.date(year, 1, 1) + dt.timedelta(
            days=int((index + 0.5) * 365 / self.size.sessions_per_year)
        )
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        hour = self.rng.choice([8, 14])
        return dt.datetime(
            day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone()
        )

    def draw_session(self, plan, index, topic, by_group, contest, postponements):
        rng = self.rng
        start = self.session_time(plan.year, index)
        with_regular = rng.random() < 0.25
        minutes = 150 if contest or with_regular else 120
        end = start + dt.timedelta(minutes=minutes)
        day = timezone.localdate(start)
        in_cell = [p for p in self.people if not p.temporary and p.in_cell_on(day)]
        if contest:
            topic, format_ = rng.choice(CONTEST_TOPICS), ThematicSession.Format.CONTEST
        else:
            format_ = rng.choices([f for f, _w in FORMATS], [w for _f, w in FORMATS])[0]
        outside = rng.random() < 0.15
        secretary = self.secretary.obj if self.secretary.in_cell_on(day) else in_cell[0].obj
        session = ThematicSession(
            plan=plan,
            topic=topic,
            description=(
                f"Chi bộ sinh hoạt chuyên đề “{topic}”: người chuẩn bị trình bày đề dẫn, "
                "đảng viên thảo luận, liên hệ nhiệm vụ của cơ quan; chủ trì kết luận."
            ),
            scope=ThematicSession.Scope.GROUPS if by_group else ThematicSession.Scope.CELL,
            format=format_,
            start=start,
            end=end,
            location=rng.choice(["Hội trường cơ quan", "Phòng họp tầng 2", "Phòng họp số 1"]),
            preparer=None if outside else rng.choice(in_cell).obj,
            outside_speaker="Báo cáo viên Ban Tuyên giáo Tỉnh ủy" if outside else "",
            presiding=secretary,
            minute_taker=rng.choice(in_cell).obj,
            regular=with_regular,
            draft_approved_on=(start - dt.timedelta(days=10)).date(),
        )
        if end >= self.now:
            if rng.random() < 0.1:
                previous = start - dt.timedelta(days=rng.randint(7, 30))
                session.status = ThematicSession.Status.POSTPONED
                session.status_reason = "Trùng lịch hội nghị của cấp trên"
                session.calendar_sequence = 1
                postponements.append(
                    Postponement(
                        session=session,
                        previous_start=previous,
                        new_start=start,
                        reason=session.status_reason,
                    )
                )
            return session
        if rng.random() < 0.04:
            session.status = ThematicSession.Status.CANCELLED
            session.status_reason = "Cấp ủy cấp trên tổ chức hội nghị quán triệt thay thế"
            session.calendar_sequence = 1
            return session
        if rng.random() < 0.05:
            postponements.append(
                Postponement(
                    session=session,
                    previous_start=start - dt.timedelta(days=rng.randint(7, 21)),
                    new_start=start,
                    reason="Tập trung cho nhiệm vụ đột xuất của cơ quan",
                )
            )
            session.calendar_sequence = 1
        score = rng.randint(68, 98)
        session.status = ThematicSession.Status.HELD
        session.draft_sent_at = start - dt.timedelta(days=3)
        session.score = score
        session.grade = scheme_on(session.day).grade_for(score)
        session.conclusion = (
            "Chi bộ thống nhất nhận thức về nội dung chuyên đề; giao các tổ Đảng cụ thể hóa "
            "trong chương trình công tác và báo cáo kết quả ở kỳ sinh hoạt thường kỳ tới."
        )
        session.minutes = (
            f"Chủ trì: {session.presiding}. Thư ký: {session.minute_taker}. "
            f"{len(in_cell)} đảng viên phải dự. Nội dung: {topic}. {session.conclusion}"
        )
        if rng.random() < 0.3:
            session.guest_count = rng.randint(2, 15)
            session.guest_names = "Quần chúng, đoàn viên công đoàn cơ quan"
        return session

    def write_group_meetings(self, sessions):
        meetings = []
        for session in sessions:
            for offset, group in enumerate(self.groups):
                start = session.start - dt.timedelta(days=len(self.groups) - 1 - offset)
                meetings.append(
                    GroupMeeting(
                        session=session,
                        group=group,
                        start=start,
                        end=start + (session.end - session.start),
                        location=f"Phòng họp {group.name}",
                        presiding=group.leader,
                    )
                )
        self.add(GroupMeeting, meetings)

    def write_attendance(self, sessions):
        rng = self.rng
        rows = []
        for session in sessions:
            day = session.day
            for person in self.people:
                if not person.in_cell_on(day):
                    continue
                if person.temporary:
                    status, reason = Attendance.Status.PRESENT, ""
                elif person.exempt_on(day):
                    continue
                elif rng.random() < person.reliability:
                    status, reason = Attendance.Status.PRESENT, ""
                elif rng.random() < 0.75:
                    status, reason = Attendance.Status.EXCUSED, rng.choice(ABSENCE_REASONS)
                else:
                    status, reason = Attendance.Status.UNEXCUSED, ""
                rows.append(
                    Attendance(
                        session=session,
                        member=person.obj,
                        group=self.groups[person.group_on(day)],
                        status=status,
                        reason=reason,
                        temporary=person.temporary,
                    )
                )
        self.add(Attendance, rows)
        for session in sessions:
            session.attendance_version = 1  # as after one save of the sheet
        bulk_update_with_history(
            sessions, ThematicSession, ["attendance_version"], batch_size=BATCH
        )
        self.present = {
            (row.session_id, row.member_id)
            for row in rows
            if row.status == Attendance.Status.PRESENT and not row.temporary
        }

    def write_contests(self, sessions):
        rng = self.rng
        teams, awards = [], []
        for session in sessions:
            scores = {group.pk: rng.randint(60, 100) for group in self.groups}
            ranked = sorted(scores, key=lambda pk: -scores[pk])
            for group in self.groups:
                teams.append(
                    ContestTeam(
                        session=session,
                        group=group,
                        name=f"Đội {group.name}",
                        score=scores[group.pk],
                        rank=ranked.index(group.pk) + 1,
                    )
                )
            present = [p.obj for p in self.people if (session.pk, p.obj.pk) in self.present]
            winners = rng.sample(present, min(3, len(present)))
            for order, (prize, winner) in enumerate(
                zip(["Giải Nhất", "Giải Nhì", "Giải Ba"], winners, strict=False)
            ):
                awards.append(Award(session=session, prize=prize, member=winner, order=order))
            awards.append(
                Award(
                    session=session,
                    prize="Giải Khuyến khích",
                    guest_name="Nguyễn Thị Hồng (quần chúng, Văn phòng)",
                    order=3,
                )
            )
        self.add(ContestTeam, teams)
        self.add(Award, awards)

    def write_documents(self, sessions):
        documents = []
        for session in sessions:
            text = (
                f"Đề dẫn sinh hoạt chuyên đề: {session.topic}\n\n"
                "I. Mục đích, yêu cầu\nII. Nội dung chính\nIII. Liên hệ nhiệm vụ của chi bộ\n"
                "IV. Gợi ý thảo luận\n"
            )
            name = self.store(
                f"documents/{session.plan.year}/de-dan-{session.pk}.txt", text.encode()
            )
            documents.append(
                Document(
                    session=session, title="Dự thảo đề dẫn", kind=Document.Kind.DRAFT, file=name
                )
            )
            if self.rng.random() < 0.5:
                documents.append(
                    Document(
                        session=session,
                        title="Văn bản chỉ đạo của cấp ủy cấp trên",
                        kind=Document.Kind.DIRECTIVE,
                        url="https://tulieuvankien.dangcongsan.vn/",
                    )
                )
        self.add(Document, documents, history=False)

    def write_photos(self, sessions):
        photos = []
        uploader = self.secretary.obj.user_id
        for session in sessions:
            for n in range(1, self.size.photos_per_session + 1):
                image, thumbnail = self.draw_photo(session, n)
                base = f"bulk-{session.pk}-{n}.jpg"
                photos.append(
                    Photo(
                        session=session,
                        image=self.store(f"photos/{session.plan.year}/{base}", image),
                        thumbnail=self.store(
                            f"photos/thumbs/{session.plan.year}/{base}", thumbnail
                        ),
                        caption=f"Quang cảnh buổi sinh hoạt ngày {session.day:%d/%m/%Y} ({n})",
                        uploaded_by_id=uploader,
                    )
                )
        self.add(Photo, photos, history=False)

    def draw_photo(self, session, n) -> tuple[bytes, bytes]:
        """A small real JPEG and its thumbnail: a drawing of the session's hall."""
        image = draw_scene(f"{self.rng.random()}", size=(480, 320))
        full = io.BytesIO()
        image.save(full, "JPEG", quality=80)
        image.thumbnail((240, 160))
        thumb = io.BytesIO()
        image.save(thumb, "JPEG", quality=80)
        return full.getvalue(), thumb.getvalue()
