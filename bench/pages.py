"""What the benchmark measures: the page table and the load mix.

Adding a page is adding a line to PAGES (and, for the load run, to MIX).

This module imports no Django model at import time: the orchestrator reads the
tables without setting Django up.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Roles a page is measured for. "anonymous" is a visitor without a login (the
# calendar feed, by its token); "officer" a committee officer working at the
# committee, the root of the committee size's tree (its pages are the
# committee's, measured at that size only).
OFFICER = "officer"
ROLES = ("member", "secretary", "leader", "anonymous", OFFICER)

# The sizes of data (``load_bulk --size``) the page table is measured at.
SIZES = ("cell", "large", "committee")
# A cell's pages are measured at the cell and large sizes; the committee size
# holds 200 cells of the cell size, and its own pages (the officer's).
CELL_SIZES = ("cell", "large")
EVERY_SIZE = (*CELL_SIZES, "committee")
COMMITTEE_SIZE = ("committee",)

# In a save, a token unique to the request replaces this marker.
TOKEN = "BENCHTOKEN"  # noqa: S105 - a marker, not a password


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    role: str
    url_name: str
    # The URL's arguments, from the objects the benchmark picked (see Objects).
    args: Callable = field(default=lambda o: [])
    method: str = "GET"
    expect: int = 200
    # A save ("form"): the page's form is opened (GET) and sent back as it
    # is, but for the fields below, in which TOKEN becomes a value unique to
    # the request (the save is then found in the database by it).
    save: str = ""
    fields: Callable = field(default=lambda o: {})
    # Own target in milliseconds (median), besides the ratio to the floor, and
    # the sizes it applies to.
    target_ms: float | None = None
    target_sizes: tuple = CELL_SIZES
    # The sizes of data the page is measured at (its cells are empty at the
    # others).
    sizes: tuple = CELL_SIZES
    # How a save is checked afterwards: ``saved(token)`` is how many complete
    # saves carry the token (1 for each save answered with success).
    saved: Callable | None = None
    # A save the load runs spread over several objects, one per virtual user
    # (two people saving the same sheet at once is a conflict, answered 409
    # and tested in tests/test_attendance_sheet.py; not what a load run is for).
    spread: bool = False
    # Measured right after a write to the cell: its data version renewed
    # before each request (not timed), so a part kept in the cache for the
    # version (members/versions.py) is rendered again each time.
    after_write: bool = False


def sheet_fields(objects) -> dict:
    """A save of the whole sheet: every member's row written.

    Every member on the sheet is marked excused with a reason that carries
    the request's token, and the conclusion carries it too: each save changes
    every row (the most a save of the sheet writes) and is found afterwards by
    its token. The hidden fields (CSRF token, the sheet's version) come fresh
    from the form opened just before.
    """
    fields = {"conclusion": f"Kết luận của kỳ sinh hoạt [{TOKEN}]"}
    for member_id in objects.sheet_member_ids():
        fields[f"status_{member_id}"] = "excused"
        fields[f"reason_{member_id}"] = f"Bận công tác [{TOKEN}]"
    return fields


def sheets_saved_with(token: str) -> int:
    """Complete saves of an attendance sheet that carry ``token``.

    A save is found by the session's history row (one per save) and is
    complete when every counted row of that sheet got a history row with the
    token too. A save found without all its rows counts as -1 (half-saved).
    """
    from sessions.models import Attendance, ThematicSession

    marker = f"[{token}]"
    found = 0
    for save in ThematicSession.history.filter(conclusion__contains=marker):
        rows = Attendance.history.filter(session_id=save.id, reason__contains=marker).count()
        members = Attendance.objects.filter(session_id=save.id, temporary=False).count()
        if rows != members:
            return -1
        found += 1
    return found


PAGES = [
    # The floor: only the logged-in base layout (bench/urls.py), per role.
    Page("floor-member", "Floor: base layout", "member", "bench-floor", sizes=EVERY_SIZE),
    Page("floor-secretary", "Floor: base layout", "secretary", "bench-floor"),
    Page("floor-leader", "Floor: base layout", "leader", "bench-floor", sizes=EVERY_SIZE),
    Page("floor-officer", "Floor: base layout", OFFICER, "bench-floor", sizes=COMMITTEE_SIZE),
    # Each role's home. The member's and the leader's, and the summaries, are
    # measured in the first cell of the committee size too: their query counts
    # must not grow with the cells beside it.
    Page("home-member", "Member's home", "member", "home", sizes=EVERY_SIZE),
    Page("home-secretary", "Secretary's home", "secretary", "home"),
    Page("home-leader", "Leader's home", "leader", "home", sizes=EVERY_SIZE),
    # The plan, a session.
    Page("plan", "Plan of the year", "secretary", "sessions:plan", args=lambda o: [o.year]),
    Page(
        "session-member",
        "Session page",
        "member",
        "sessions:detail",
        args=lambda o: [o.session.pk],
    ),
    Page(
        "session-secretary",
        "Session page",
        "secretary",
        "sessions:detail",
        args=lambda o: [o.session.pk],
    ),
    # Members.
    Page("members", "Member list (first page)", "secretary", "members:list"),
    Page(
        "member",
        "Member page (this year, every year's figures)",
        "leader",
        "members:detail",
        args=lambda o: [o.veteran.pk],
    ),
    # The attendance sheet of the latest session held.
    Page(
        "attendance-get",
        "Attendance sheet",
        "secretary",
        "sessions:attendance",
        args=lambda o: [o.recorded.pk],
    ),
    Page(
        "attendance-post",
        "Attendance sheet: save",
        "secretary",
        "sessions:attendance",
        args=lambda o: [o.recorded.pk],
        method="POST",
        expect=302,
        save="form",
        fields=sheet_fields,
        saved=sheets_saved_with,
        # 30 members at the cell size; at the large size the sheet has 300.
        target_ms=50,
        target_sizes=("cell",),
        spread=True,
    ),
    # The leaders' pages, for the last full year.
    Page(
        "summary",
        "Summaries of the year",
        "leader",
        "sessions:summary",
        args=lambda o: [o.year - 1],
        sizes=EVERY_SIZE,
    ),
    Page(
        "export-csv",
        "Export: CSV",
        "leader",
        "sessions:export_csv",
        args=lambda o: [o.year - 1],
        target_ms=2000,
    ),
    Page(
        "export-xlsx",
        "Export: Excel",
        "leader",
        "sessions:export_xlsx",
        args=lambda o: [o.year - 1],
        target_ms=2000,
    ),
    Page(
        "report",
        "Annual report",
        "leader",
        "sessions:annual_report",
        args=lambda o: [o.year - 1],
    ),
    Page(
        "calendar",
        "Calendar feed",
        "anonymous",
        "sessions:calendar_feed",
        args=lambda o: [o.member_record.calendar_token],
    ),
    # The pages whose parts are kept for each version of the cell's data, as
    # the first person to open them after a write sees them.
    Page(
        "home-member-write",
        "Member's home, right after a write",
        "member",
        "home",
        after_write=True,
    ),
    Page(
        "home-secretary-write",
        "Secretary's home, right after a write",
        "secretary",
        "home",
        after_write=True,
    ),
    Page(
        "home-leader-write",
        "Leader's home, right after a write",
        "leader",
        "home",
        after_write=True,
    ),
    Page(
        "plan-write",
        "Plan of the year, right after a write",
        "secretary",
        "sessions:plan",
        args=lambda o: [o.year],
        after_write=True,
    ),
    Page(
        "members-write",
        "Member list (first page), right after a write",
        "secretary",
        "members:list",
        after_write=True,
    ),
    Page(
        "member-write",
        "Member page, right after a write",
        "leader",
        "members:detail",
        args=lambda o: [o.veteran.pk],
        after_write=True,
    ),
    Page(
        "summary-write",
        "Summaries of the year, right after a write",
        "leader",
        "sessions:summary",
        args=lambda o: [o.year - 1],
        after_write=True,
    ),
    Page(
        "report-write",
        "Annual report, right after a write",
        "leader",
        "sessions:annual_report",
        args=lambda o: [o.year - 1],
        after_write=True,
    ),
    Page(
        "calendar-write",
        "Calendar feed, right after a write",
        "anonymous",
        "sessions:calendar_feed",
        args=lambda o: [o.member_record.calendar_token],
        after_write=True,
    ),
    # The committee's pages, for an officer at the committee (the root node)
    # of the committee size's 200 cells.
    Page(
        "committee-home",
        "Committee's home (this year's matrix)",
        OFFICER,
        "home",
        sizes=COMMITTEE_SIZE,
    ),
    Page(
        "committee-last-year",
        "Committee's matrix, last year",
        OFFICER,
        "sessions:committee",
        args=lambda o: [o.year - 1],
        sizes=COMMITTEE_SIZE,
    ),
    Page(
        "committee-xlsx",
        "Committee's Excel file, last year",
        OFFICER,
        "sessions:committee_xlsx",
        args=lambda o: [o.year - 1],
        target_ms=2000,
        target_sizes=COMMITTEE_SIZE,
        sizes=COMMITTEE_SIZE,
    ),
    Page(
        "committee-home-write",
        "Committee's home, right after a write in a cell",
        OFFICER,
        "home",
        sizes=COMMITTEE_SIZE,
        after_write=True,
    ),
]
PAGES_BY_KEY = {page.key: page for page in PAGES}

# The load run's mix: (page key, weight). Members read most; the secretary
# reads and saves.
MIX = [
    ("home-member", 35),
    ("session-member", 15),
    ("calendar", 5),
    ("home-leader", 8),
    ("member", 3),
    ("summary", 5),
    ("report", 2),
    ("export-xlsx", 1),
    ("home-secretary", 6),
    ("plan", 5),
    ("session-secretary", 4),
    ("members", 3),
    ("attendance-get", 3),
    ("attendance-post", 3),
]


def pages_at(size: str) -> list[Page]:
    """The pages measured at ``size``, in the table's order."""
    return [page for page in PAGES if size in page.sizes]


def floor_key(page: Page) -> str | None:
    """The floor a page is compared with: the same role's base layout."""
    if page.key.startswith("floor-"):
        return None
    return f"floor-{page.role}" if f"floor-{page.role}" in PAGES_BY_KEY else "floor-member"


# --- Picking the objects the pages show ---------------------------------------


class Objects:
    """The users and records the pages are measured with, picked from the data.

    The busiest ones: the session with the most content, the member with the
    longest record, the latest recorded attendance sheets. All in the
    database's first cell: at the committee size, the first of its 200 cells.
    The committee officer is made when first asked for (``officer``).
    """

    # Attendance sheets the load runs save, one per virtual user (at most).
    SHEETS = 12
    # The login of the committee officer the benchmark makes (load_bulk makes none).
    OFFICER_LOGIN = "bench-officer"

    def __init__(self):
        from django.db.models import Count
        from django.utils import timezone

        from chibo.lib.roles import LEADER, MEMBER, SECRETARY
        from members.models import Member, Organisation
        from sessions.models import ThematicSession

        self.year = timezone.localdate().year
        self.cell = Organisation.objects.cells().order_by("pk").first()
        regular = Member.objects.filter(
            cell=self.cell, temporary=False, left_cell_on__isnull=True, user__isnull=False
        ).select_related("user")
        self.secretary = (
            regular.filter(user__roles__kind=SECRETARY, position="secretary").first().user
        )
        self.leader = regular.filter(user__roles__kind=LEADER).order_by("user").first().user
        self.member_record = (
            regular.filter(user__roles__kind=MEMBER)
            .annotate(rows=Count("attendances"))
            .order_by("-rows", "pk")
            .first()
        )
        self.member = self.member_record.user
        self.veteran = (
            Member.objects.filter(cell=self.cell)
            .annotate(rows=Count("attendances"))
            .order_by("-rows", "pk")
            .first()
        )
        held = (
            ThematicSession.objects.of_cell(self.cell)
            .held()
            .filter(attendances__isnull=False)
            .distinct()
        )
        # A session of last year with group meetings, or a contest, or else any.
        last_year = held.for_year(self.year - 1)
        self.session = (
            last_year.filter(scope="groups").first()
            or last_year.filter(format="contest").first()
            or held.last()
        )
        # The latest sheets recorded: the first is the one the page table shows.
        self.sheets = list(held.order_by("-start", "-pk")[: self.SHEETS])
        self.recorded = self.sheets[0]
        self._sheet_members = {}
        self._officer = None

    def with_sheet(self, session) -> "Objects":
        """The same objects, with ``session`` as the attendance sheet shown."""
        other = copy.copy(self)
        other.recorded = session
        return other

    def sheet_member_ids(self) -> list[int]:
        """The members on the attendance sheet shown (its roster)."""
        pk = self.recorded.pk
        if pk not in self._sheet_members:
            self._sheet_members[pk] = [row.member.pk for row in self.recorded.roster().rows]
        return self._sheet_members[pk]

    @property
    def committee(self):
        """The root of the first cell's tree: the committee the officer works at."""
        node = self.cell.parent
        while node.parent_id is not None:
            node = node.parent
        return node

    @property
    def officer(self):
        """A committee officer at the root: the committee role, given as an administrator does.

        load_bulk makes no login above the cells, so the benchmark gives one
        with the service behind ``manage.py give_role`` (a new login without
        a password); the login works at the committee, its only role.
        """
        if self._officer is None:
            from chibo.lib.roles import COMMITTEE
            from members.setup import give_role

            self._officer = give_role(
                username=self.OFFICER_LOGIN, organisation=self.committee, kind=COMMITTEE
            ).user
        return self._officer

    def user(self, role):
        if role == OFFICER:
            return self.officer
        return {
            "member": self.member,
            "secretary": self.secretary,
            "leader": self.leader,
            "anonymous": None,
        }[role]


def resolve(page: Page, objects: Objects) -> str:
    """The page's path."""
    from django.urls import reverse

    return reverse(page.url_name, args=page.args(objects))


# --- Sending a form back ------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form["fields"].append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]
            self.form["fields"] += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["fields"].append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def form_fields(html: str, path: str) -> list[tuple[str, str]]:
    """The fields of the page's own POST form (not the logout or language forms)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] in ("", ".", path):
            return form["fields"]
    raise ValueError(f"{path}: no POST form of its own on the page")
