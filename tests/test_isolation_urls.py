"""A user of one cell gets 404 on every object of a sibling cell, in every URL.

Cell B sits beside the test cell (A) under the same committee, with its own
members, groups, plan, held contest session with attendance, document,
photo, team, exemption and annual report sent to the committee. Every URL
pattern that takes an id, a year or a path is walked from the resolver
(tests/urlwalk.py), so a new one without a case in ``CASES`` or a reason in
``EXCLUDED`` fails ``test_every_url_with_parameters_has_an_isolation_case``.
Each role of A
asking for B's object must get what it gets for an object that does not
exist; the secretary, who may use every page, gets 404 on GET and on POST.
Forms of A never offer B's members or groups, and A's attendance sheet
lists none of B's members.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from chibo.lib.cells import of_cell
from chibo.lib.roles import COMMITTEE
from members.importing import ImportRow, check_rows
from members.models import Member, Organisation, PartyGroup, Role, single_cell
from sessions.models import Attendance, Document, Photo, Submission, ThematicSession
from sessions.reports.sending import send_report
from tests.builders import SIBLING_MARK, sibling_cell
from tests.factories import (
    at,
    make_plan,
    make_session,
    record,
)
from tests.urlwalk import all_routes, media_path

pytestmark = pytest.mark.django_db

# The roles of A, and committee officers working in a cell: one of the
# committee above both A and B, inside A; one of a committee elsewhere,
# inside its own cell.
ROLES = ("secretary", "leader", "member", "committee_in_a", "committee_elsewhere")
# B has a plan for this year and A none: a year page of A for it must be 404.
B_ONLY_YEAR = 2021
NO_PLAN_YEAR = 2031
MISSING_ID = 10**15


def member_pk(b):
    return {"pk": b["member"].pk}


def held_pk(b):
    return {"pk": b["held"].pk}


def planned_pk(b):
    return {"pk": b["planned"].pk}


def group_pk(b):
    return {"pk": b["group"].pk}


def year(_b):
    return {"year": B_ONLY_YEAR}


# URL name -> B's kwargs for it.
CASES = {
    "members:detail": member_pk,
    "members:edit": member_pk,
    "members:move": member_pk,
    "members:leave": member_pk,
    "members:transfer": member_pk,
    "members:send": member_pk,
    "members:exemption_create": member_pk,
    "members:exemption_edit": lambda b: {"pk": b["member"].pk, "exemption_pk": b["exemption"].pk},
    "members:account": member_pk,
    "members:account_link": member_pk,
    "members:account_revoke": member_pk,
    "members:group_edit": group_pk,
    "members:group_up": group_pk,
    "members:group_down": group_pk,
    "members:group_archive": lambda b: {"pk": b["empty_group"].pk},
    "members:group_restore": lambda b: {"pk": b["archived_group"].pk},
    "sessions:plan": year,
    "sessions:plan_docx": year,
    "sessions:plan_pdf": year,
    "sessions:plan_edit": year,
    "sessions:plan_copy": year,
    "sessions:plan_regular": year,
    "sessions:plan_send": year,
    "sessions:sent": lambda b: {"pk": b["sent"].pk},
    "sessions:sent_docx": lambda b: {"pk": b["sent"].pk},
    "sessions:sent_pdf": lambda b: {"pk": b["sent"].pk},
    "sessions:create": year,
    "sessions:detail": held_pk,
    "sessions:edit": planned_pk,
    "sessions:postpone": planned_pk,
    "sessions:cancel": planned_pk,
    "sessions:delete": planned_pk,
    "sessions:documents": held_pk,
    "sessions:document_delete": lambda b: {"pk": b["held"].pk, "document_pk": b["document"].pk},
    "sessions:draft_sent": held_pk,
    "sessions:attendance": held_pk,
    "sessions:grading": held_pk,
    "sessions:check_in": held_pk,
    "sessions:check_in_qr": held_pk,
    "sessions:check_in_code": held_pk,
    "sessions:check_ins": held_pk,
    "sessions:confirm_read": planned_pk,
    "sessions:remind_unread": planned_pk,
    "sessions:photos": held_pk,
    "sessions:photo_caption": lambda b: {"pk": b["held"].pk, "photo_pk": b["photo"].pk},
    "sessions:photo_delete": lambda b: {"pk": b["held"].pk, "photo_pk": b["photo"].pk},
    "sessions:contest": held_pk,
    "sessions:minutes": held_pk,
    "sessions:minutes_docx": held_pk,
    "sessions:minutes_pdf": held_pk,
    "sessions:minutes_edit": held_pk,
    "sessions:resolution": held_pk,
    "sessions:resolution_docx": held_pk,
    "sessions:resolution_pdf": held_pk,
    "sessions:resolution_edit": held_pk,
    "sessions:signing_sheet": held_pk,
    "sessions:signing_sheet_docx": held_pk,
    "sessions:signing_sheet_pdf": held_pk,
    "sessions:member_record": lambda b: {"member_pk": b["member"].pk, "year": 2020},
    "sessions:session_ics": held_pk,
    "history:member": member_pk,
    "history:session": held_pk,
    "media": lambda b: {"path": media_path(b["document"].file)},
}

# URL name (or namespace) -> why it has no case here.
EXCLUDED = {
    "admin": "superusers only; every cell's rows are the superuser's to manage",
    "password_reset_confirm": "a login's one-time link, not a record of a cell",
    "sessions:calendar_feed": "the secret token is the key, to the token holder's own feed",
    "sessions:check_in_scan": "a signed code, not an id: another cell's answers 404 in "
    "tests/test_check_in.py",
    "sessions:summary": "a year's figures of the visitor's own cell: scoped with the reports",
    "sessions:export_csv": "a year's figures of the visitor's own cell: scoped with the reports",
    "sessions:export_xlsx": "a year's figures of the visitor's own cell: scoped with the reports",
    "sessions:annual_report": "a year's figures of the visitor's own cell: scoped with the reports",
    "sessions:committee": "a year of the cells under the officer's own committee node",
    "sessions:committee_xlsx": "a year of the cells under the officer's own committee node",
    "sessions:report_send": "a year's report of the visitor's own cell: scoped with the reports",
    "sessions:report_docx": "a year's report of the visitor's own cell: scoped with the reports",
    "sessions:report_pdf": "a year's report of the visitor's own cell: scoped with the reports",
    "sessions:report_text": "the visitor's own cell's sections of a year: read and written in it",
}


def routes_with_parameters():
    return [route for route in all_routes() if route.parameters]


def excluded(route):
    return route.key in EXCLUDED or route.namespace.split(":")[0] in EXCLUDED


def missing_kwargs(kwargs):
    """The same URL's kwargs pointing at nothing: no row, no plan, no file."""
    missing = {}
    for name in kwargs:
        if name == "year":
            missing[name] = NO_PLAN_YEAR
        elif name == "path":
            missing[name] = "documents/2020/khong-co-tep-nay.pdf"
        else:
            missing[name] = MISSING_ID
    return missing


@pytest.fixture
def cell_b(groups):
    """A sibling cell with everything a URL can point into."""
    b = sibling_cell(B_ONLY_YEAR)
    b["sent"] = send_report(
        cell=b["cell"], year=B_ONLY_YEAR, user=None, now=at(B_ONLY_YEAR, 12, 10)
    )
    return b


def officer_in(username, committee, cell):
    """A committee officer who switched into ``cell``; the client logs in and switches."""
    user = User.objects.create_user(username, password="mật-khẩu-thử-1")
    Role.objects.create(user=user, organisation=committee, kind=COMMITTEE)
    user.works_in = cell
    return user


@pytest.fixture
def users(secretary, leader, member):
    a = single_cell()
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    far = Organisation.objects.create(
        name="Chi bộ Công ty Điện lực", kind=Organisation.Kind.CELL, parent=elsewhere
    )
    return {
        "secretary": secretary,
        "leader": leader,
        "member": member,
        "committee_in_a": officer_in("vanphong", a.parent, a),
        "committee_elsewhere": officer_in("khoidn", elsewhere, far),
    }


def log_in(client, user):
    client.force_login(user)
    cell = getattr(user, "works_in", None)
    if cell is not None:
        response = client.post(reverse("switch_workplace"), {"organisation": cell.pk})
        assert response.status_code == 302


def test_every_url_with_parameters_has_an_isolation_case():
    """A new URL that takes an id fails here until it has a case or a reason."""
    names = {route.key for route in routes_with_parameters() if not excluded(route)}
    assert sorted(names - set(CASES)) == []
    assert sorted(set(CASES) - names) == []


@pytest.mark.parametrize("role", ROLES)
def test_another_cells_objects_answer_like_missing_ones(client, users, cell_b, role, now):
    """GET with B's ids answers what a missing id does; for the secretary, 404."""
    log_in(client, users[role])
    wrong = []
    for route in routes_with_parameters():
        if excluded(route):
            continue
        kwargs = CASES[route.key](cell_b)
        got = client.get(route.url(kwargs)).status_code
        nothing = client.get(route.url(missing_kwargs(kwargs))).status_code
        if got != nothing or got not in (403, 404, 405):
            wrong.append((route.key, got, nothing))
        if role == "secretary" and got not in (404, 405):
            wrong.append((route.key, got, "404 expected"))
    assert wrong == []


def test_the_secretary_posting_to_another_cells_objects_gets_404(client, secretary, cell_b, now):
    """No write reaches B: every POST with B's ids is 404, and B's rows are as they were."""
    client.force_login(secretary)
    before = snapshot(cell_b["cell"])
    wrong = []
    for route in routes_with_parameters():
        if excluded(route):
            continue
        response = client.post(route.url(CASES[route.key](cell_b)), {"caption": "x"})
        if response.status_code != 404:
            wrong.append((route.key, response.status_code))
    assert wrong == []
    assert snapshot(cell_b["cell"]) == before


def snapshot(cell):
    return {
        "members": list(of_cell(Member.objects, cell).values()),
        "groups": list(of_cell(PartyGroup.objects, cell).values()),
        "sessions": list(of_cell(ThematicSession.objects, cell).values()),
        "documents": list(of_cell(Document.objects, cell).values()),
        "photos": list(of_cell(Photo.objects, cell).values()),
        "sent": list(of_cell(Submission.objects, cell).values()),
    }


@pytest.mark.parametrize("field", ["image", "thumbnail"])
def test_another_cells_photo_file_is_404(client, users, cell_b, field):
    photo = cell_b["photo"]
    file = getattr(photo, field)
    for user in users.values():
        log_in(client, user)
        assert client.get(f"/media/{media_path(file)}").status_code == 404


def test_own_cells_files_are_still_sent(client, member, cell_b, now):
    plan = make_plan(2020)
    held = make_session(plan, start=at(2020, 3, 12))
    document = Document(session=held, title="Đề dẫn", kind=Document.Kind.DRAFT)
    document.file.save("de-dan.pdf", ContentFile(b"%PDF-1.4 de dan"), save=True)
    client.force_login(member)
    assert client.get(f"/media/{media_path(document.file)}").status_code == 200


def assert_no_b_names(response):
    assert response.status_code == 200
    assert SIBLING_MARK not in response.content.decode()


def test_the_secretarys_forms_offer_only_the_cells_members_and_groups(
    client, secretary, member, cell_b, now
):
    plan = make_plan(2020)
    planned = make_session(plan, start=at(2020, 9, 10), format="contest")
    own = member.member
    client.force_login(secretary)
    for name, args in (
        ("members:create", []),
        ("members:move", [own.pk]),
        ("members:group_edit", [own.group_id]),
        ("sessions:edit", [planned.pk]),
        ("sessions:contest", [planned.pk]),
        ("sessions:create", [2020]),
        ("members:list", []),
        ("members:groups", []),
        ("members:import_template", []),
    ):
        assert_no_b_names(client.get(reverse(name, args=args)))


def test_the_attendance_sheet_lists_none_of_another_cells_members(
    client, secretary, member, cell_b, now
):
    plan = make_plan(2020)
    session = make_session(plan, start=at(2020, 5, 12))
    client.force_login(secretary)
    response = client.get(reverse("sessions:attendance", args=[session.pk]))
    assert_no_b_names(response)
    assert member.member.full_name in response.content.decode()
    rows = record(session)
    assert {row.member.cell_id for row in rows} == {single_cell().pk}


def test_a_form_refuses_another_cells_group(client, secretary, cell_b, now):
    client.force_login(secretary)
    count = Member.objects.count()
    response = client.post(
        reverse("members:create"),
        {
            "full_name": "Người Lạ",
            "group": cell_b["group"].pk,
            "standing": "full",
            "position": "member",
            "joined_cell_on": "01/01/2019",
        },
    )
    assert response.status_code == 200
    assert Member.objects.count() == count


def test_a_member_cannot_be_put_in_another_cells_group(groups, cell_b):
    member = Member(
        cell=single_cell(), group=cell_b["group"], full_name="A", joined_cell_on=dt.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "group" in error.value.message_dict


def test_the_import_matches_groups_and_names_within_the_cell(groups, cell_b):
    raw = {"full_name": "Bế Văn Kim Đồng", "group": "Tổ Kim Đồng 1", "joined_cell_on": "01/01/2019"}
    [row] = check_rows([ImportRow(line=2, raw=raw)], cell=single_cell())
    assert row.data["group"] is None  # B's group is no group of A
    [row] = check_rows([ImportRow(line=2, raw={**raw, "group": "Tổ 1"})], cell=single_cell())
    assert row.errors == []  # B's member of that name is no duplicate in A


def test_a_copied_plan_stays_in_its_cell_and_keeps_its_cells_members(cell_b, secretary):
    from sessions import services

    target = services.copy_plan(source=cell_b["plan"], year=2022, user=secretary)
    assert target.cell == cell_b["cell"]
    assert of_cell(Attendance.objects, single_cell()).count() == 0


def test_who_is_expected_and_reminded_is_of_the_sessions_cell_only(member, cell_b):
    """The roster's source, the temporaries and the reminders' recipients stay in the cell."""
    from sessions.reminders import _recipients

    session = make_session(make_plan(2020), start=at(2020, 5, 12))
    b_members = set(of_cell(Member.objects, cell_b["cell"]).values_list("pk", flat=True))
    for found in (
        session.expected_members(),
        session.possible_temporaries(),
        _recipients(session),
    ):
        assert not {m.pk for m in found} & b_members
    assert cell_b["temporary"] in cell_b["planned"].possible_temporaries()
