"""Every URL of the project against every kind of visitor.

The walk comes from the resolver (tests/urlwalk.py), so a new page that is not
in MATRIX fails ``test_every_url_is_in_the_matrix``. Each row says, for
anonymous, member, other member, leader, secretary and a deactivated user,
and for committee officers above the cell (at the committee and inside the
cell) and of a committee elsewhere, what a GET must answer. URLs about a
member point at ``member``'s own record, so the "other member" column is
someone asking for another member's data.

Every answer also carries the security headers, and every page of Chibo's own
is free of inline script and style (the CSP forbids them).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from chibo.lib.roles import COMMITTEE
from members.models import Organisation, Role, single_cell
from sessions.checkin import make_code
from tests.factories import make_member, make_user
from tests.pagechecks import assert_security_headers, inline_code
from tests.urlwalk import admin_kwargs, all_routes, build_dataset, media_path

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "leader",
    "secretary",
    "deactivated",
    # The cell dimension: a committee officer of the committee above the cell,
    # at the committee (their own workplace) and inside the cell (switched in);
    # an officer of a committee elsewhere, who may not switch in (404,
    # tests/test_workplace.py) and so answers as an officer at a committee.
    # A user of a sibling cell asking for this cell's objects:
    # tests/test_isolation_urls.py.
    "committee",
    "committee_in_cell",
    "committee_elsewhere",
)

# Expected answers besides a plain status code.
LOGIN = "the login page"  # 302 to /accounts/login/?next=<the url>
ADMIN_LOGIN = "the admin's login page"  # 302 to /admin/login/?next=<the url>
ANY_LOGIN = "either login page"  # admin views LoginRequiredMiddleware stops first
ADMIN_INDEX = "the admin's index"  # 302 to /admin/


@dataclass(frozen=True)
class Redirect:
    """302 to the path ``to(data, user)`` gives (``user`` is the visitor)."""

    to: Any
    what: str

    def __str__(self):
        return f"302 to {self.what}"


def this_year():
    return timezone.localdate().year


OWN_RECORD = Redirect(
    lambda d, user: reverse("sessions:member_record", args=[user.member.pk, this_year()]),
    "the visitor's own record of this year",
)
MEMBERS_OWN_RECORD = Redirect(
    lambda d, user: reverse("sessions:member_record", args=[d["member"].pk, this_year()]),
    "the member's own record page",
)
# Moving to another cell needs one: the sample Chibo has a single cell.
MEMBERS_PAGE = Redirect(
    lambda d, user: reverse("members:detail", args=[d["member"].pk]),
    "the member's page (no other cell to move to)",
)
THIS_YEARS_SUMMARY = Redirect(
    lambda d, user: reverse("sessions:summary", args=[this_year()]), "this year's summary"
)
THIS_YEARS_MATRIX = Redirect(
    lambda d, user: reverse("sessions:committee", args=[this_year()]), "this year's matrix"
)
SET_PASSWORD_FORM = Redirect(
    lambda d, user: reverse(
        "password_reset_confirm", kwargs={"uidb64": d["uidb64"], "token": "set-password"}
    ),
    "the set-password form (the token moves to the session)",
)


@dataclass(frozen=True)
class Row:
    expected: dict[str, Any]
    kwargs: Any = None  # data -> kwargs for the URL
    mutating: bool = False  # changes data on POST: must be in tests/test_urls_mutating.py


def row(anonymous=LOGIN, member=200, other_member=None, leader=200, secretary=200, **rest):
    """Most pages: anonymous and deactivated users get the login page.

    A committee officer inside the cell reads it as a leader does; at the
    committee, where they hold none of the cell's permissions, too unless the
    row says otherwise (``committee=403`` for a page of the cell's, 404 for
    one of a member's own, which an officer is not).
    """
    committee = rest.pop("committee", leader)
    expected = {
        "anonymous": anonymous,
        "member": member,
        "other_member": member if other_member is None else other_member,
        "leader": leader,
        "secretary": secretary,
        "deactivated": rest.pop("deactivated", LOGIN),
        "committee": committee,
        "committee_in_cell": rest.pop("committee_in_cell", leader),
        "committee_elsewhere": committee,
    }
    return Row(expected, **rest)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def leaders(**rest):
    """Pages for leaders and the secretary: a member may not use them (403, any object).

    An officer at a committee gets 403 too: the cell's pages need the cell's
    permissions, which they hold only inside it.
    """
    return row(**{"member": 403, "committee": 403, **rest})


def committee_page(**rest):
    """A committee's page: 200 to an officer at a committee, 403 to every role of a cell."""
    return row(
        **{
            "member": 403,
            "leader": 403,
            "secretary": 403,
            "committee": 200,
            "committee_in_cell": 403,
            **rest,
        }
    )


def secretary_form(**rest):
    """A secretary's form or confirmation page: GET shows it, POST changes data."""
    return row(**{"member": 403, "leader": 403, "mutating": True, **rest})


def secretary_action(**rest):
    """A secretary's button: POST only (405 on GET), changes data."""
    return row(**{"member": 403, "leader": 403, "secretary": 405, "mutating": True, **rest})


def secretary_page(**rest):
    """A secretary's page that changes nothing."""
    return row(**{"member": 403, "leader": 403, **rest})


def member_pk(d):
    return {"pk": d["member"].pk}


def held_pk(d):
    return {"pk": d["held"].pk}


def planned_pk(d):
    return {"pk": d["planned"].pk}


def scan_code(d):
    return {"code": make_code(d["held"], timezone.now())}


SESSION_PAGE = Redirect(
    lambda d, user: reverse("sessions:detail", args=[d["held"].pk]), "the session page"
)


def plan_year(d):
    return {"year": d["plan"].year}


MATRIX = {
    "home": row(),
    # Choosing where to work is POST only; the organisation is checked in the view.
    "switch_workplace": row(member=405, leader=405, secretary=405, mutating=True),
    "login": Row(everyone(200), mutating=True),
    # Logout is POST only; anonymous visitors are sent to log in before the 405.
    "logout": row(member=405, leader=405, secretary=405, mutating=True),
    "password_change": row(mutating=True),
    "password_change_done": row(),
    # The one-time link (for a newcomer who is none of the six): whoever holds
    # it reaches the form; the token then lives in the session, not the URL.
    "password_reset_confirm": Row(
        everyone(SET_PASSWORD_FORM),
        kwargs=lambda d: {"uidb64": d["uidb64"], "token": d["token"]},
        mutating=True,
    ),
    "password_reset_complete": Row(everyone(200)),
    "set_language": Row(everyone(405), mutating=True),
    # For the proxy and monitors: no login, says only whether the database answers.
    "healthz": Row(everyone(200)),
    # --- Members and groups. A member may not see the member list, so another
    # member's record answers 404 (as for a number that is nobody's); their own
    # sends them to their own record page. The secretary's forms answer 403 to
    # every other role, for every object.
    "members:list": leaders(),
    "members:detail": leaders(
        member=MEMBERS_OWN_RECORD, other_member=404, committee=404, kwargs=member_pk
    ),
    "members:create": secretary_form(),
    "members:import": secretary_page(),  # upload and preview: writes nothing
    "members:import_confirm": secretary_action(),
    "members:import_template": secretary_page(),
    "members:edit": secretary_form(kwargs=member_pk),
    "members:move": secretary_form(kwargs=member_pk),
    "members:leave": secretary_form(kwargs=member_pk),
    "members:transfer": secretary_form(secretary=MEMBERS_PAGE, kwargs=member_pk),
    "members:send": secretary_form(secretary=MEMBERS_PAGE, kwargs=member_pk),
    "members:exemption_create": secretary_form(kwargs=member_pk),
    "members:exemption_edit": secretary_form(
        kwargs=lambda d: {"pk": d["member"].pk, "exemption_pk": d["exemption"].pk}
    ),
    "members:account": secretary_form(kwargs=member_pk),
    "members:account_link": secretary_action(kwargs=member_pk),
    "members:account_revoke": secretary_form(kwargs=member_pk),
    # The cell's profile: the secretary's, as the groups' forms are.
    "members:cell_profile": secretary_form(),
    "members:groups": leaders(),
    "members:group_create": secretary_form(),
    "members:group_edit": secretary_form(kwargs=lambda d: {"pk": d["group"].pk}),
    "members:group_up": secretary_action(kwargs=lambda d: {"pk": d["other_group"].pk}),
    "members:group_down": secretary_action(kwargs=lambda d: {"pk": d["group"].pk}),
    "members:group_archive": secretary_action(kwargs=lambda d: {"pk": d["empty_group"].pk}),
    "members:group_restore": secretary_action(kwargs=lambda d: {"pk": d["archived_group"].pk}),
    # --- Plans and sessions. Members see sessions, their documents and photos.
    "sessions:plans": leaders(),
    "sessions:plan_create": secretary_form(),
    "sessions:plan": leaders(kwargs=plan_year),
    # Each printed record as .docx and PDF: whoever reads its page.
    "sessions:plan_docx": leaders(kwargs=plan_year),
    "sessions:plan_pdf": leaders(kwargs=plan_year),
    "sessions:plan_edit": secretary_form(kwargs=plan_year),
    "sessions:plan_copy": secretary_form(kwargs=plan_year),
    "sessions:plan_regular": secretary_form(kwargs=plan_year),
    # Sending to the superior committee: the secretary's; what was sent, as
    # it was sent, is read by leaders and the secretary (never by members).
    "sessions:plan_send": secretary_form(kwargs=plan_year),
    "sessions:report_send": secretary_form(kwargs=plan_year),
    # The report's assessment and direction: the secretary writes, leaders read the report.
    "sessions:report_text": secretary_form(kwargs=plan_year),
    "sessions:sent": leaders(kwargs=lambda d: {"pk": d["sent"].pk}),
    "sessions:sent_docx": leaders(kwargs=lambda d: {"pk": d["sent"].pk}),
    "sessions:sent_pdf": leaders(kwargs=lambda d: {"pk": d["sent"].pk}),
    "sessions:create": secretary_form(kwargs=plan_year),
    "sessions:detail": row(committee=403, kwargs=held_pk),
    "sessions:edit": secretary_form(kwargs=planned_pk),
    "sessions:postpone": secretary_form(kwargs=planned_pk),
    "sessions:cancel": secretary_form(kwargs=planned_pk),
    "sessions:delete": secretary_form(kwargs=planned_pk),
    "sessions:documents": secretary_form(kwargs=held_pk),
    "sessions:document_delete": secretary_action(
        kwargs=lambda d: {"pk": d["held"].pk, "document_pk": d["document"].pk}
    ),
    "sessions:draft_sent": secretary_action(kwargs=held_pk),
    "sessions:attendance": secretary_form(kwargs=held_pk),
    "sessions:grading": secretary_form(kwargs=held_pk),
    # Self check-in: the sample's held session (2020) is long over, so the
    # secretary's page sends back to the session and its code answers 410.
    "sessions:check_in": secretary_page(secretary=SESSION_PAGE, kwargs=held_pk),
    "sessions:check_in_qr": secretary_page(secretary=410, kwargs=held_pk),
    "sessions:check_in_code": secretary_page(secretary=410, kwargs=held_pk),
    "sessions:check_ins": secretary_page(kwargs=held_pk),
    # Where a member's camera lands (one tap then checks in); a 2020 session
    # is long over, so everyone in the cell is told so on the page (400).
    "sessions:check_in_scan": row(
        member=400, leader=400, secretary=400, committee=404, kwargs=scan_code, mutating=True
    ),
    "sessions:confirm_read": row(
        member=405, leader=405, secretary=405, committee=403, kwargs=planned_pk, mutating=True
    ),
    "sessions:remind_unread": secretary_action(kwargs=planned_pk),
    "sessions:photos": secretary_form(kwargs=held_pk),
    "sessions:photo_caption": secretary_action(
        kwargs=lambda d: {"pk": d["held"].pk, "photo_pk": d["photo"].pk}
    ),
    "sessions:photo_delete": secretary_action(
        kwargs=lambda d: {"pk": d["held"].pk, "photo_pk": d["photo"].pk}
    ),
    "sessions:contest": secretary_form(kwargs=held_pk),
    # The minutes name every absentee and their reason: leaders and the secretary.
    "sessions:minutes": leaders(kwargs=held_pk),
    "sessions:minutes_docx": leaders(kwargs=held_pk),
    "sessions:minutes_pdf": leaders(kwargs=held_pk),
    # Writing the minutes: the secretary's, for a held session.
    "sessions:minutes_edit": secretary_form(kwargs=held_pk),
    "sessions:resolution": row(committee=403, kwargs=held_pk),
    "sessions:resolution_docx": row(committee=403, kwargs=held_pk),
    "sessions:resolution_pdf": row(committee=403, kwargs=held_pk),
    "sessions:resolution_edit": secretary_form(kwargs=held_pk),
    # The signing sheet names every expected member: leaders and the secretary.
    "sessions:signing_sheet": leaders(kwargs=held_pk),
    "sessions:signing_sheet_docx": leaders(kwargs=held_pk),
    "sessions:signing_sheet_pdf": leaders(kwargs=held_pk),
    # --- A member's own pages. Everyone with a member record has them.
    # An officer has no member record, in the cell or at the committee: 404.
    "sessions:my_record": row(
        member=OWN_RECORD,
        leader=OWN_RECORD,
        secretary=OWN_RECORD,
        committee=404,
        committee_in_cell=404,
    ),
    "sessions:member_record": row(
        other_member=404,
        committee=404,
        kwargs=lambda d: {"member_pk": d["member"].pk, "year": 2020},
    ),
    "sessions:calendar": row(committee=404, committee_in_cell=404),
    # The member's own data as a file: everyone's own, nobody else's.
    "my_data": row(committee=404, committee_in_cell=404),
    "sessions:calendar_renew": row(member=405, leader=405, secretary=405, mutating=True),
    # The feed's secret token is its key: no login (a phone's calendar has none).
    "sessions:calendar_feed": Row(
        everyone(200), kwargs=lambda d: {"token": d["member"].calendar_token}
    ),
    "sessions:session_ics": row(committee=403, kwargs=held_pk),
    # --- The leaders' summaries, exports and report.
    "sessions:summary_current": leaders(leader=THIS_YEARS_SUMMARY, secretary=THIS_YEARS_SUMMARY),
    "sessions:summary": leaders(kwargs=plan_year),
    "sessions:export_csv": leaders(kwargs=plan_year),
    "sessions:export_xlsx": leaders(kwargs=plan_year),
    "sessions:annual_report": leaders(kwargs=plan_year),
    "sessions:report_docx": leaders(kwargs=plan_year),
    "sessions:report_pdf": leaders(kwargs=plan_year),
    # --- A committee's cells: officers at a committee node only (their own
    # node's cells), never a role of a cell, nor an officer inside a cell.
    "sessions:committee_current": committee_page(committee=THIS_YEARS_MATRIX),
    "sessions:committee": committee_page(kwargs=plan_year),
    "sessions:committee_xlsx": committee_page(kwargs=plan_year),
    # --- History: leaders and the secretary. A member's history is part of
    # their record: another's is 404, their own sends them to their own page.
    "history:cell": leaders(),
    "history:member": leaders(
        member=MEMBERS_OWN_RECORD, other_member=404, committee=404, kwargs=member_pk
    ),
    "history:session": leaders(kwargs=held_pk),
    "media": row(committee=404, kwargs=lambda d: {"path": media_path(d["document"].file)}),
}


def admin_row(route):
    """The admin is for superusers: none of the six gets past its login."""
    if route.key == "admin:login":
        return Row(everyone(200))
    if route.key == "admin:logout":
        return row(
            ADMIN_LOGIN,
            ADMIN_INDEX,
            leader=ADMIN_INDEX,
            secretary=ADMIN_INDEX,
            deactivated=ADMIN_LOGIN,
        )
    return row(
        ANY_LOGIN, ADMIN_LOGIN, leader=ADMIN_LOGIN, secretary=ADMIN_LOGIN, deactivated=ANY_LOGIN
    )


def matrix_row(route):
    if route.namespace == "admin":
        return admin_row(route)
    return MATRIX[route.key]


def test_every_url_is_in_the_matrix():
    """A page added without its row here fails; a row for a page that is gone too."""
    ours = {route.key for route in all_routes() if route.namespace != "admin"}
    assert sorted(ours - set(MATRIX)) == [], "URLs without a row in MATRIX"
    assert sorted(set(MATRIX) - ours) == [], "rows in MATRIX for URLs that no longer exist"


def test_the_walk_reaches_nested_and_admin_patterns():
    keys = {route.key for route in all_routes()}
    assert {"home", "members:detail", "sessions:detail", "media"} <= keys
    assert "admin:members_member_change" in keys
    assert "admin/(?P<url>.*)$" in keys  # unnamed patterns are walked too
    assert all(route.key.startswith("admin") or route.name for route in all_routes())


@pytest.fixture
def visitors(member, other_member, leader, secretary, groups):
    deactivated = make_user("nghi", "member", make_member(groups[1], "Đinh Văn Nghỉ"))
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    above = single_cell().parent
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    return {
        "anonymous": None,
        "member": member,
        "other_member": other_member,
        "leader": leader,
        "secretary": secretary,
        "deactivated": deactivated,
        "committee": make_officer("vanphong", above),
        "committee_in_cell": make_officer("tochuc", above),
        "committee_elsewhere": make_officer("khoidn", elsewhere),
    }


def make_officer(username, committee):
    user = User.objects.create_user(username, password="mật-khẩu-thử-1")
    Role.objects.create(user=user, organisation=committee, kind=COMMITTEE)
    return user


def answer(response):
    if response.status_code != 302:
        return response.status_code
    return response["Location"]


def meets(response, url, expected, data=None, user=None):
    location = response.get("Location", "")
    if isinstance(expected, Redirect):
        return response.status_code == 302 and location == expected.to(data, user)
    login = f"{reverse('login')}?next={quote(url)}"
    admin_login = f"{reverse('admin:login')}?next={quote(url)}"
    if expected == LOGIN:
        return response.status_code == 302 and location == login
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and location == admin_login
    if expected == ANY_LOGIN:
        return response.status_code == 302 and location in (login, admin_login)
    if expected == ADMIN_INDEX:
        return response.status_code == 302 and location == reverse("admin:index")
    return response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_role_as_the_matrix_says(
    client, visitors, role, member, other_member
):
    data = build_dataset(member, other_member)
    generic = admin_kwargs(data)
    user = visitors[role]
    if user is not None:
        client.force_login(user)
    if role == "committee_in_cell":
        switched = client.post(reverse("switch_workplace"), {"organisation": single_cell().pk})
        assert switched.status_code == 302

    wrong, checked = {}, 0
    for route in all_routes():
        entry = matrix_row(route)
        if route.namespace == "admin":
            kwargs = {name: generic[name] for name in route.parameters}
        else:
            kwargs = entry.kwargs(data) if entry.kwargs else {}
        url = route.url(kwargs)
        response = client.get(url)
        checked += 1
        expected = entry.expected[role]
        if not meets(response, url, expected, data, user):
            wrong[route.key] = f"{url}: expected {expected}, got {answer(response)}"
            continue
        assert_security_headers(response, logged_in=role not in ("anonymous", "deactivated"))
        is_html = response.get("Content-Type", "").startswith("text/html")
        if route.namespace != "admin" and response.status_code != 302 and is_html:
            assert inline_code(response.content.decode()) == [], url
    assert wrong == {}
    assert checked == len(all_routes())


def test_a_missing_object_is_404_for_every_role_that_may_see_the_page(client, leader, member):
    for user, urls in [
        (leader, ["/members/999999/", "/sessions/999999/", "/sessions/plans/1999/"]),
        (member, ["/sessions/999999/", "/media/documents/khong-co.pdf", "/members/999999/"]),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
