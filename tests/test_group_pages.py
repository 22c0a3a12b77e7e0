"""Party groups: add, rename, reorder, archive (never delete)."""

import pytest
from django.urls import reverse

from members.models import PartyGroup
from tests.factories import make_group, make_member

pytestmark = pytest.mark.django_db


def order():
    return list(PartyGroup.objects.order_by("order", "name").values_list("name", flat=True))


def test_secretary_adds_and_renames_a_group(client, secretary, groups):
    client.force_login(secretary)
    client.post(reverse("members:group_create"), {"name": "Tổ 3 – Tuyên giáo"})
    group = PartyGroup.objects.get(name="Tổ 3 – Tuyên giáo")
    assert order()[-1] == "Tổ 3 – Tuyên giáo"
    leader = make_member(group, "Phùng Thị Hoa")
    client.post(
        reverse("members:group_edit", args=[group.pk]),
        {"name": "Tổ 3 – Tuyên giáo, Nữ công", "leader": leader.pk},
    )
    group.refresh_from_db()
    assert (group.name, group.leader) == ("Tổ 3 – Tuyên giáo, Nữ công", leader)
    page = client.get(reverse("members:groups")).text
    assert "tổ trưởng Phùng Thị Hoa" in page


@pytest.mark.parametrize(
    ("name", "message"), [("Tổ 1", "Đã có tổ Đảng tên này."), ("", "Trường này là bắt buộc.")]
)
def test_bad_group_names_are_refused(client, secretary, groups, name, message):
    client.force_login(secretary)
    response = client.post(reverse("members:group_create"), {"name": name})
    assert message in response.text
    assert PartyGroup.objects.count() == 2


def test_a_group_leader_comes_from_its_own_members(client, secretary, groups, other_member):
    client.force_login(secretary)
    response = client.post(
        reverse("members:group_edit", args=[groups[0].pk]),
        {"name": "Tổ 1", "leader": other_member.member.pk},  # Hoa is in Tổ 2
    )
    assert "Hãy chọn một lựa chọn hợp lệ." in response.text


def test_groups_move_up_and_down(client, secretary, groups):
    make_group("Tổ 3", order=3)
    client.force_login(secretary)
    up = reverse("members:group_up", args=[PartyGroup.objects.get(name="Tổ 3").pk])
    assert client.get(up).status_code == 405
    client.post(up)
    assert order() == ["Tổ 1", "Tổ 3", "Tổ 2"]
    client.post(reverse("members:group_down", args=[groups[0].pk]))
    assert order() == ["Tổ 3", "Tổ 1", "Tổ 2"]
    client.post(reverse("members:group_up", args=[PartyGroup.objects.get(name="Tổ 3").pk]))
    assert order() == ["Tổ 3", "Tổ 1", "Tổ 2"]  # already first
    assert list(PartyGroup.objects.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_a_group_with_members_cannot_be_archived(client, secretary, groups, other_member):
    client.force_login(secretary)
    response = client.post(reverse("members:group_archive", args=[groups[1].pk]), follow=True)
    assert "Tổ còn 1 đảng viên đang sinh hoạt" in response.text
    groups[1].refresh_from_db()
    assert groups[1].is_active


def test_an_empty_group_is_archived_and_restored(client, secretary, groups):
    empty = make_group("Tổ tạm")
    client.force_login(secretary)
    assert client.get(reverse("members:group_archive", args=[empty.pk])).status_code == 405
    page = client.get(reverse("members:groups")).text
    assert 'data-confirm="Giải thể Tổ tạm? Tổ được giữ lại trong lịch sử' in page
    assert "js/confirm.js" in page
    client.post(reverse("members:group_archive", args=[empty.pk]))
    empty.refresh_from_db()
    assert not empty.is_active
    assert PartyGroup.objects.filter(pk=empty.pk).exists()
    assert "Đã giải thể" in client.get(reverse("members:groups")).text
    # An archived group is offered to no new member and no move.
    form = client.get(reverse("members:create")).context["form"]
    assert empty not in form.fields["group"].queryset
    client.post(reverse("members:group_restore", args=[empty.pk]))
    empty.refresh_from_db()
    assert empty.is_active


def test_leader_cannot_change_groups(client, leader, groups):
    client.force_login(leader)
    assert client.get(reverse("members:groups")).status_code == 200
    assert client.post(reverse("members:group_create"), {"name": "Tổ mới"}).status_code == 403
    assert client.post(reverse("members:group_archive", args=[groups[0].pk])).status_code == 403
    assert PartyGroup.objects.count() == 2
