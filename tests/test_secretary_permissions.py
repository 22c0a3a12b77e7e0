"""Every secretary page, for every other role: 403, no form, nothing changed.

Anonymous visitors are sent to the login page; the actions accept POST only,
with a CSRF token.
"""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Exemption
from sessions.models import Document, Photo
from tests.factories import at, make_exemption, make_plan, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(groups, secretary, member, now):
    plan = make_plan(2020)
    held = make_session(plan, at(2020, 3, 12), format="contest")
    record(held)
    planned = make_session(plan, at(2020, 9, 10))
    document = Document.objects.create(session=held, title="Đề dẫn", url="https://example.org")
    photo = Photo.objects.create(session=held, image="photos/2020/a.jpg", caption="Ảnh")
    exemption = make_exemption(member.member, at(2020, 1, 1).date())
    return {
        "plan": plan,
        "held": held,
        "planned": planned,
        "document": document,
        "photo": photo,
        "member": member.member,
        "exemption": exemption,
        "group": groups[0],
    }


# (url name, args from the objects) for pages that show a form or a confirmation.
FORM_PAGES = [
    ("sessions:plan_create", []),
    ("sessions:plan_edit", ["plan.year"]),
    ("sessions:plan_copy", ["plan.year"]),
    ("sessions:create", ["plan.year"]),
    ("sessions:edit", ["held.pk"]),
    ("sessions:postpone", ["planned.pk"]),
    ("sessions:cancel", ["planned.pk"]),
    ("sessions:delete", ["planned.pk"]),
    ("sessions:documents", ["held.pk"]),
    ("sessions:attendance", ["held.pk"]),
    ("sessions:photos", ["held.pk"]),
    ("sessions:contest", ["held.pk"]),
    ("members:create", []),
    ("members:import", []),
    ("members:import_template", []),
    ("members:edit", ["member.pk"]),
    ("members:move", ["member.pk"]),
    ("members:leave", ["member.pk"]),
    ("members:exemption_create", ["member.pk"]),
    ("members:exemption_edit", ["member.pk", "exemption.pk"]),
    ("members:account", ["member.pk"]),
    ("members:account_revoke", ["member.pk"]),
    ("members:group_create", []),
    ("members:group_edit", ["group.pk"]),
]
# Actions that only accept POST.
ACTIONS = [
    ("sessions:draft_sent", ["held.pk"]),
    ("sessions:document_delete", ["held.pk", "document.pk"]),
    ("sessions:photo_caption", ["held.pk", "photo.pk"]),
    ("sessions:photo_delete", ["held.pk", "photo.pk"]),
    ("members:account_link", ["member.pk"]),
    ("members:group_up", ["group.pk"]),
    ("members:group_down", ["group.pk"]),
    ("members:group_archive", ["group.pk"]),
    ("members:group_restore", ["group.pk"]),
    ("members:import_confirm", []),
]


def resolve(objects, name, args):
    values = []
    for arg in args:
        key, attribute = arg.split(".")
        values.append(getattr(objects[key], attribute))
    return reverse(name, args=values)


def snapshot(objects):
    from members.models import Member, PartyGroup
    from sessions.models import AnnualPlan, Attendance, ThematicSession

    return [
        list(model.objects.order_by("pk").values())
        for model in (
            AnnualPlan,
            ThematicSession,
            Attendance,
            Document,
            Photo,
            Member,
            PartyGroup,
            Exemption,
        )
    ]


@pytest.mark.parametrize("role", ["member", "leader"])
def test_other_roles_get_403_and_no_form(client, request, objects, role):
    client.force_login(request.getfixturevalue(role))
    before = snapshot(objects)
    for name, args in FORM_PAGES + ACTIONS:
        url = resolve(objects, name, args)
        for response in (client.get(url), client.post(url, {"reason": "x", "name": "x"})):
            assert response.status_code == 403, url
            assert "Không có quyền truy cập" in response.text, url
            assert "novalidate" not in response.text, url
            # Only the page frame's two forms (log out, language) carry a CSRF token.
            assert response.text.count("csrfmiddlewaretoken") == 2, url
    assert snapshot(objects) == before


def test_anonymous_visitors_are_sent_to_log_in(client, objects):
    for name, args in FORM_PAGES + ACTIONS:
        url = resolve(objects, name, args)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")), url


def test_secretary_opens_every_form_page(client, secretary, objects):
    """Each page shows the secretary a form of its own, beside the page frame's two
    (log out, language): what test_other_roles_get_403_and_no_form finds missing."""
    client.force_login(secretary)
    for name, args in FORM_PAGES:
        url = resolve(objects, name, args)
        response = client.get(url)
        assert response.status_code == 200, url
        if name == "members:import_template":
            assert response["Content-Type"] == "text/csv; charset=utf-8", url
            assert "Họ và tên" in response.content.decode("utf-8-sig"), url
            continue
        assert response.text.count("csrfmiddlewaretoken") > 2, url
        assert 'method="post"' in response.text, url


def test_actions_refuse_get(client, secretary, objects):
    client.force_login(secretary)
    before = snapshot(objects)
    for name, args in ACTIONS:
        url = resolve(objects, name, args)
        assert client.get(url).status_code == 405, url
    assert snapshot(objects) == before


def test_actions_need_a_csrf_token(secretary, objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    group = objects["group"]
    response = client.post(reverse("members:group_archive", args=[group.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("sessions:cancel", args=[objects["planned"].pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    objects["planned"].refresh_from_db()
    assert objects["planned"].status == "planned"


def test_a_member_gets_404_for_a_session_that_does_not_exist(client, member, objects):
    client.force_login(member)
    assert client.get(reverse("sessions:detail", args=[999999])).status_code == 404
