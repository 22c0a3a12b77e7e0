"""Every view that changes data refuses GET and refuses a POST without its CSRF token.

One row per view that changes something; the rows of tests/test_urls_matrix.py
marked ``mutating`` must all be here. Each row says who posts, what a valid
form holds, what GET answers (405 for a button, 200 for a form view whose GET
only shows the form) and how to see whether the change happened. The control
posts the same form with the token of the page a browser would take it from
and sees the change, so a 403 here means the token, nothing else.

The URLs and the sample cell are those of the URL × role table
(tests/urlwalk.py); the valid forms are reused by the fuzzing of every form
(tests/test_fuzz_forms.py).
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Organisation, PartyGroup
from members.views import IMPORT_SALT, LINK_SESSION_KEY
from members.workplace import SESSION_KEY as WORKPLACE_KEY
from sessions.checkin import make_code
from sessions.models import (
    AnnualPlan,
    CheckIn,
    ContestTeam,
    Document,
    Photo,
    ReadConfirmation,
    ReportText,
    Submission,
    ThematicSession,
)
from tests.factories import make_session
from tests.images import image_bytes, upload
from tests.test_urls_matrix import MATRIX
from tests.urlwalk import all_routes, build_dataset

pytestmark = pytest.mark.django_db

PASSWORD = "mật-khẩu-thử-1"
NEW_PASSWORD = "Sinh-hoạt-chuyên-đề-2020"


def logged_in(client, user):
    return client.get(reverse("home")).wsgi_request.user == user


def fresh(obj):
    obj.refresh_from_db()
    return obj


@dataclass(frozen=True)
class Mutation:
    user: str | None  # the fixture that posts; None: anonymous
    data: Any  # d -> a valid form (d: the sample cell, with "login", the member's user)
    get_status: int
    happened: Any  # (client, d) -> True once the change is made
    page: Any = None  # d -> where a browser finds the form and its token; None: the URL itself
    url: Any = None  # d -> the URL posted to, when it is not the matrix's sample URL


def url_of(d, name):
    route = next(route for route in all_routes() if route.key == name)
    kwargs = MATRIX[name].kwargs
    return route.url(kwargs(d) if kwargs else {})


def member_form(d, **changes):
    """The member form as the secretary would send it for ``d["member"]``."""
    member = d["member"]
    return {
        "full_name": member.full_name,
        "group": member.group_id,
        "standing": member.standing,
        "position": member.position,
        "joined_party_on": "",
        "joined_cell_on": member.joined_cell_on.strftime("%d/%m/%Y"),
        "home_cell": "",
        "phone": "",
        "email": "",
        "notes": "",
        **changes,
    }


def session_form(d, **changes):
    return {
        "topic": "Chuyển đổi số trong công tác Đảng",
        "description": "",
        "format": "presentation",
        "scope": "cell",
        "start": "10/09/2020 08:00",
        "end": "10:30",
        "location": "Hội trường tầng 3",
        "preparer": "",
        "outside_speaker": "",
        "presiding": "",
        "minute_taker": "",
        "draft_approved_on": "",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
        **changes,
    }


def attendance_form(d, **changes):
    held = fresh(d["held"])
    data = {
        "version": held.attendance_version,
        "guest_count": "2",
        "guest_names": "Nguyễn Văn Khách",
        "conclusion": "Chi bộ thống nhất học tập Chỉ thị 05.",
        "minutes": "",
    }
    for member in held.expected_members():
        data[f"status_{member.pk}"] = "present"
        data[f"reason_{member.pk}"] = ""
    return {**data, **changes}


def grading_form(d, **changes):
    """Points of the 2018 scheme (the held session is of 2020): 92 in all."""
    data = {
        "points_preparation": "14",
        "points_attendance": "19",
        "points_conduct": "41",
        "points_conclusion": "18",
        "grade": "",
    }
    return {**data, **changes}


def photo_form(d, **changes):
    return {
        "images": [upload("tham-luan.jpg", image_bytes())],
        "caption": "Đồng chí Hương phát biểu",
        **changes,
    }


def contest_form(d, **changes):
    """One team for the member's group; the other active groups' rows left untouched."""
    groups = list(PartyGroup.objects.filter(is_active=True))
    data = {
        "teams-TOTAL_FORMS": str(len(groups)),
        "teams-INITIAL_FORMS": "0",
        "teams-MIN_NUM_FORMS": "0",
        "teams-MAX_NUM_FORMS": "1000",
        "awards-TOTAL_FORMS": "1",
        "awards-INITIAL_FORMS": "0",
        "awards-MIN_NUM_FORMS": "0",
        "awards-MAX_NUM_FORMS": "1000",
        "awards-0-prize": "Giải nhất",
        "awards-0-member": d["member"].pk,
        "awards-0-guest_name": "",
    }
    for index, group in enumerate(groups):
        data[f"teams-{index}-name"] = f"Đội {group}"
        data[f"teams-{index}-score"] = "90" if group == d["group"] else ""
        data[f"teams-{index}-rank"] = ""
    return {**data, **changes}


def minutes_form(d, **changes):
    """The minutes of the held contest: content, one speaker, conclusion, vote, prizes."""
    held = fresh(d["held"])
    data = {
        "version": held.attendance_version,
        "minutes": "Đồng chí Hương trình bày đề dẫn.",
        "conclusion": "Chi bộ thống nhất học tập Chỉ thị 05.",
        "votes_for": "2",
        "votes_against": "0",
        "votes_abstain": "0",
        "prizes_presented_by": "đồng chí Bí thư chi bộ",
        "speeches-TOTAL_FORMS": "1",
        "speeches-INITIAL_FORMS": "0",
        "speeches-MIN_NUM_FORMS": "0",
        "speeches-MAX_NUM_FORMS": "200",
        "speeches-0-member": d["member"].pk,
        "speeches-0-speaker_name": "",
        "speeches-0-content": "Đề nghị tổ chức hội thi hằng năm.",
    }
    return {**data, **changes}


def import_token(d, name="Nguyễn Văn Nhập"):
    raw = {
        "full_name": name,
        "group": d["group"].name,
        "standing": "Chính thức",
        "position": "Đảng viên",
        "joined_party_on": "19/05/2010",
        "joined_cell_on": "01/03/2015",
        "phone": "0912345678",
        "email": "",
    }
    return signing.dumps([[2, raw]], salt=IMPORT_SALT, compress=True)


def sibling_cell(d):
    """A second cell of the sample's Chibo, with a group: somewhere to move a member to."""
    cell, _ = Organisation.objects.get_or_create(
        name="Chi bộ Trường Tiểu học",
        parent=d["member"].cell.parent,
        defaults={"kind": Organisation.Kind.CELL},
    )
    PartyGroup.objects.get_or_create(cell=cell, name="Tổ Trường học")
    return cell


def set_password_url(d):
    return reverse(
        "password_reset_confirm", kwargs={"uidb64": d["uidb64"], "token": "set-password"}
    )


MUTATIONS = {
    # --- Logging in and out, passwords, language.
    "logout": Mutation(
        user="member",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: not logged_in(client, d["login"]),
        page=lambda d: reverse("home"),
    ),
    "set_language": Mutation(
        user="member",
        data=lambda d: {"language": "en", "next": "/"},
        get_status=405,
        happened=lambda client, d: (
            settings.LANGUAGE_COOKIE_NAME in client.cookies
            and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        ),
        page=lambda d: reverse("home"),
    ),
    "switch_workplace": Mutation(
        user="member",
        data=lambda d: {"organisation": str(d["member"].cell_id), "next": "/"},
        get_status=405,
        happened=lambda client, d: client.session.get(WORKPLACE_KEY) == d["member"].cell_id,
        page=lambda d: reverse("home"),
    ),
    "password_change": Mutation(
        user="member",
        data=lambda d: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        get_status=200,
        happened=lambda client, d: fresh(d["login"]).check_password(NEW_PASSWORD),
    ),
    "login": Mutation(
        user=None,
        data=lambda d: {"username": "member", "password": PASSWORD},
        get_status=200,
        happened=lambda client, d: logged_in(client, d["login"]),
    ),
    # The form behind the one-time link: the link puts its token in the session.
    "password_reset_confirm": Mutation(
        user=None,
        data=lambda d: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        get_status=200,
        happened=lambda client, d: User.objects.get(username="moi").check_password(NEW_PASSWORD),
        page=lambda d: url_of(d, "password_reset_confirm"),
        url=set_password_url,
    ),
    # --- Members and groups.
    "members:create": Mutation(
        user="secretary",
        data=lambda d: member_form(d, full_name="Hoàng Minh Đức"),
        get_status=200,
        happened=lambda client, d: Member.objects.filter(full_name="Hoàng Minh Đức").exists(),
    ),
    "members:import_confirm": Mutation(
        user="secretary",
        data=lambda d: {"token": import_token(d)},
        get_status=405,
        happened=lambda client, d: Member.objects.filter(full_name="Nguyễn Văn Nhập").exists(),
        page=lambda d: reverse("members:import"),
    ),
    "members:edit": Mutation(
        user="secretary",
        data=lambda d: member_form(d, phone="0987654321"),
        get_status=200,
        happened=lambda client, d: fresh(d["member"]).phone == "0987654321",
    ),
    "members:move": Mutation(
        user="secretary",
        data=lambda d: {"group": d["other_group"].pk},
        get_status=200,
        happened=lambda client, d: fresh(d["member"]).group == d["other_group"],
    ),
    "members:leave": Mutation(
        user="secretary",
        data=lambda d: {"left_cell_on": "15/05/2020", "left_reason": "transfer", "left_note": ""},
        get_status=200,
        happened=lambda client, d: fresh(d["member"]).has_left,
    ),
    # Both forms post back once to confirm: the valid form is the confirmed one.
    "members:transfer": Mutation(
        user="secretary",
        data=lambda d: {"cell": sibling_cell(d).pk, "day": "15/05/2020", "confirm": "1"},
        get_status=200,
        happened=lambda client, d: fresh(d["member"]).has_left,
    ),
    "members:send": Mutation(
        user="secretary",
        data=lambda d: {"cell": sibling_cell(d).pk, "day": "01/06/2020", "confirm": "1"},
        get_status=200,
        happened=lambda client, d: d["member"].stays.exists(),
    ),
    "members:exemption_create": Mutation(
        user="secretary",
        data=lambda d: {
            "kind": "temporary",
            "starts_on": "01/03/2020",
            "ends_on": "",
            "reason": "Điều trị bệnh",
        },
        get_status=200,
        happened=lambda client, d: d["member"].exemptions.count() == 2,
    ),
    "members:exemption_edit": Mutation(
        user="secretary",
        data=lambda d: {
            "kind": "temporary",
            "starts_on": "02/01/2020",
            "ends_on": "31/01/2020",
            "reason": "Đi học tập trung",
        },
        get_status=200,
        happened=lambda client, d: fresh(d["exemption"]).reason == "Đi học tập trung",
    ),
    "members:account": Mutation(
        user="secretary",
        data=lambda d: {"username": "tuanlv", "role": "leader"},
        get_status=200,
        happened=lambda client, d: fresh(d["login"]).username == "tuanlv",
    ),
    "members:account_link": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: LINK_SESSION_KEY in client.session,
        page=lambda d: url_of(d, "members:account"),
    ),
    "members:account_revoke": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=200,
        happened=lambda client, d: not fresh(d["login"]).is_active,
    ),
    "members:cell_profile": Mutation(
        user="secretary",
        data=lambda d: {
            "name": "Chi bộ Cơ quan Liên đoàn Lao động tỉnh",
            "superior_name": "Đảng bộ Khối các cơ quan tỉnh",
            "has_committee": "on",
            "place_name": "Lạng Sơn",
            "number_prefix": "CB",
        },
        get_status=200,
        happened=lambda client, d: fresh(d["member"].cell).place_name == "Lạng Sơn",
    ),
    "members:group_create": Mutation(
        user="secretary",
        data=lambda d: {"name": "Tổ 5 – Công đoàn"},
        get_status=200,
        happened=lambda client, d: PartyGroup.objects.filter(name="Tổ 5 – Công đoàn").exists(),
    ),
    "members:group_edit": Mutation(
        user="secretary",
        data=lambda d: {"name": "Tổ 1 – Văn phòng", "leader": d["member"].pk},
        get_status=200,
        happened=lambda client, d: fresh(d["group"]).name == "Tổ 1 – Văn phòng",
    ),
    "members:group_up": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: PartyGroup.objects.first() == d["other_group"],
        page=lambda d: reverse("members:groups"),
    ),
    "members:group_down": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: PartyGroup.objects.first() == d["other_group"],
        page=lambda d: reverse("members:groups"),
    ),
    "members:group_archive": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: not fresh(d["empty_group"]).is_active,
        page=lambda d: reverse("members:groups"),
    ),
    "members:group_restore": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: fresh(d["archived_group"]).is_active,
        page=lambda d: reverse("members:groups"),
    ),
    # --- Plans and sessions.
    "sessions:plan_create": Mutation(
        user="secretary",
        data=lambda d: {"year": "2021", "title": "", "status": "draft", "notes": ""},
        get_status=200,
        happened=lambda client, d: AnnualPlan.objects.filter(year=2021).exists(),
    ),
    "sessions:plan_edit": Mutation(
        user="secretary",
        data=lambda d: {
            "title": "Kế hoạch năm 2020 (sửa đổi)",
            "status": "approved",
            "approved_on": "15/01/2020",
            "notes": "",
        },
        get_status=200,
        happened=lambda client, d: fresh(d["plan"]).title == "Kế hoạch năm 2020 (sửa đổi)",
    ),
    "sessions:plan_copy": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=200,
        happened=lambda client, d: AnnualPlan.objects.filter(year=2021).exists(),
    ),
    "sessions:plan_regular": Mutation(
        user="secretary",
        data=lambda d: {
            "regular_day": "5",
            "regular_time": "14:00",
            "regular_minutes": "",
            "regular_location": "Phòng họp",
        },
        get_status=200,
        happened=lambda client, d: d["plan"].sessions.regular().count() >= 12,
    ),
    # Sending: the sample plan was sent once already; sending again adds a sending.
    "sessions:plan_send": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=200,
        happened=lambda client, d: Submission.objects.filter(kind="plan").count() == 2,
    ),
    "sessions:report_send": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=200,
        happened=lambda client, d: Submission.objects.filter(kind="report").exists(),
    ),
    "sessions:report_text": Mutation(
        user="secretary",
        data=lambda d: {
            "strengths": "Chi bộ tổ chức đủ các kỳ theo kế hoạch.",
            "weaknesses": "",
            "causes": "",
            "direction": "Duy trì sinh hoạt chuyên đề mỗi quý.",
        },
        get_status=200,
        happened=lambda client, d: ReportText.objects.filter(
            year=2020, strengths__startswith="Chi bộ tổ chức"
        ).exists(),
    ),
    "sessions:create": Mutation(
        user="secretary",
        data=lambda d: session_form(d, topic="Học tập và làm theo tư tưởng Hồ Chí Minh"),
        get_status=200,
        happened=lambda client, d: ThematicSession.objects.filter(
            topic="Học tập và làm theo tư tưởng Hồ Chí Minh"
        ).exists(),
    ),
    "sessions:edit": Mutation(
        user="secretary",
        data=lambda d: session_form(d, location="Phòng họp tầng 2"),
        get_status=200,
        happened=lambda client, d: fresh(d["planned"]).location == "Phòng họp tầng 2",
    ),
    "sessions:postpone": Mutation(
        user="secretary",
        data=lambda d: {"start": "17/09/2020 08:00", "end": "10:30", "reason": "Trùng lịch họp"},
        get_status=200,
        happened=lambda client, d: fresh(d["planned"]).status == "postponed",
    ),
    "sessions:cancel": Mutation(
        user="secretary",
        data=lambda d: {"reason": "Chủ đề đã học ở kỳ trước"},
        get_status=200,
        happened=lambda client, d: fresh(d["planned"]).status == "cancelled",
    ),
    "sessions:delete": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=200,
        happened=lambda client, d: not ThematicSession.objects.filter(pk=d["planned"].pk).exists(),
    ),
    "sessions:documents": Mutation(
        user="secretary",
        data=lambda d: {
            "title": "Nghị quyết số 21",
            "kind": "resolution",
            "url": "https://example.org/nq21.pdf",
        },
        get_status=200,
        happened=lambda client, d: Document.objects.filter(title="Nghị quyết số 21").exists(),
    ),
    "sessions:document_delete": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: not Document.objects.filter(pk=d["document"].pk).exists(),
        page=lambda d: url_of(d, "sessions:documents"),
    ),
    "sessions:draft_sent": Mutation(
        user="secretary",
        data=lambda d: {"draft_sent_at": "05/03/2020 08:00"},
        get_status=405,
        happened=lambda client, d: fresh(d["held"]).draft_sent_at is not None,
        page=lambda d: url_of(d, "sessions:documents"),
    ),
    "sessions:attendance": Mutation(
        user="secretary",
        data=attendance_form,
        get_status=200,
        happened=lambda client, d: fresh(d["held"]).guest_count == 2,
    ),
    "sessions:grading": Mutation(
        user="secretary",
        data=grading_form,
        get_status=200,
        happened=lambda client, d: fresh(d["held"]).score == 92,
    ),
    "sessions:photos": Mutation(
        user="secretary",
        data=photo_form,
        get_status=200,
        happened=lambda client, d: Photo.objects.count() == 2,
    ),
    "sessions:photo_caption": Mutation(
        user="secretary",
        data=lambda d: {"caption": "Trao giải hội thi"},
        get_status=405,
        happened=lambda client, d: fresh(d["photo"]).caption == "Trao giải hội thi",
        page=lambda d: url_of(d, "sessions:photos"),
    ),
    "sessions:photo_delete": Mutation(
        user="secretary",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: not Photo.objects.filter(pk=d["photo"].pk).exists(),
        page=lambda d: url_of(d, "sessions:photos"),
    ),
    "sessions:contest": Mutation(
        user="secretary",
        data=contest_form,
        get_status=200,
        happened=lambda client, d: ContestTeam.objects.filter(session=d["held"]).exists(),
    ),
    "sessions:minutes_edit": Mutation(
        user="secretary",
        data=minutes_form,
        get_status=200,
        happened=lambda client, d: fresh(d["held"]).prizes_presented_by != "",
    ),
    "sessions:resolution_edit": Mutation(
        user="secretary",
        data=lambda d: {
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-content": "Hoàn thành báo cáo quý",
            "tasks-0-responsible_name": "Chi ủy",
            "tasks-0-due_on": (d["held"].start + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        },
        get_status=200,
        happened=lambda client, d: d["held"].tasks.exists(),
    ),
    "sessions:calendar_renew": Mutation(
        user="member",
        data=lambda d: {},
        get_status=405,
        happened=lambda client, d: fresh(d["member"]).calendar_token != d["calendar_token"],
        page=lambda d: reverse("sessions:calendar"),
    ),
}


def scan_url_now(d):
    """The check-in URL of a session going on now (the sample's are of 2020)."""
    now = timezone.now()
    session = make_session(d["plan"], start=now - dt.timedelta(minutes=10))
    return reverse("sessions:check_in_scan", args=[make_code(session, now)])


def remind_url(d):
    """The reminder button's URL, once the member has an address to be reminded at."""
    Member.objects.filter(pk=d["member"].pk).update(email="member@example.org")
    return reverse("sessions:remind_unread", args=[d["planned"].pk])


MUTATIONS.update(
    {
        "sessions:check_in_scan": Mutation(
            user="member",
            data=lambda d: {},
            get_status=200,
            happened=lambda client, d: CheckIn.objects.exists(),
            url=scan_url_now,
        ),
        "sessions:confirm_read": Mutation(
            user="member",
            data=lambda d: {},
            get_status=405,
            happened=lambda client, d: ReadConfirmation.objects.exists(),
            page=lambda d: reverse("sessions:detail", args=[d["planned"].pk]),
        ),
        "sessions:remind_unread": Mutation(
            user="secretary",
            data=lambda d: {},
            get_status=405,
            happened=lambda client, d: len(mail.outbox) > 0,
            url=remind_url,
            page=lambda d: reverse("sessions:detail", args=[d["planned"].pk]),
        ),
    }
)


def test_every_mutating_url_is_in_the_table():
    marked = {key for key, row in MATRIX.items() if row.mutating}
    assert sorted(marked ^ set(MUTATIONS)) == []


@dataclass
class Actor:
    client: Client
    mutation: Mutation
    d: dict
    url: str

    @property
    def data(self):
        return self.mutation.data(self.d)

    def happened(self):
        return self.mutation.happened(self.client, self.d)

    def page(self):
        """The page with the form, as a browser opens it (following the one-time link)."""
        page = self.mutation.page(self.d) if self.mutation.page else self.url
        return self.client.get(page, follow=True)


@pytest.fixture
def actor(request, member, other_member):
    """The client of a row's user, on the sample cell (``member`` is the one logging in)."""

    def make(name):
        mutation = MUTATIONS[name]
        d = build_dataset(member, other_member)
        d["login"] = member
        d["calendar_token"] = d["member"].calendar_token
        client = Client(enforce_csrf_checks=True)
        if mutation.user:
            client.force_login(request.getfixturevalue(mutation.user))
        url = mutation.url(d) if mutation.url else url_of(d, name)
        return Actor(client, mutation, d, url)

    return make


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_get_changes_nothing(actor, name):
    act = actor(name)
    response = act.client.get(act.url, act.data)
    assert response.status_code == act.mutation.get_status
    assert not act.happened()


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_without_a_csrf_token_is_refused(actor, name):
    act = actor(name)
    response = act.client.post(act.url, act.data)
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not act.happened()


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_with_a_forged_csrf_token_is_refused(actor, name):
    act = actor(name)
    act.page()  # the browser has its own token
    forged = {**act.data, "csrfmiddlewaretoken": "x" * 64}
    assert act.client.post(act.url, forged).status_code == 403
    assert not act.happened()


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_post_with_the_token_of_the_page_does_the_change(actor, name):
    """The control: the same form, sent from the page that shows it, works."""
    act = actor(name)
    page = act.page().content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = act.client.post(act.url, {**act.data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert act.happened()
