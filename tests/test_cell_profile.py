"""The cell's profile (Thông tin chi bộ): data its secretary keeps, printed on its documents."""

import pytest
from django.urls import reverse

from members.models import Organisation, single_cell
from tests.factories import at, make_session, record

pytestmark = pytest.mark.django_db

URL = reverse("members:cell_profile")
PROFILE = {
    "name": "Chi bộ Cơ quan Liên đoàn Lao động tỉnh",
    "superior_name": "Đảng bộ Khối các cơ quan tỉnh",
    "place_name": "Lạng Sơn",
    "number_prefix": "CB",
}


def test_it_shows_the_cell_and_its_committee(client, secretary):
    client.force_login(secretary)
    page = client.get(URL).text
    assert "Thông tin chi bộ" in page
    assert "Trực thuộc Đảng bộ." in page
    assert 'value="Chi bộ"' in page


def test_the_secretary_saves_the_profile(client, secretary):
    client.force_login(secretary)
    response = client.post(URL, PROFILE)  # has_committee unticked
    assert response.status_code == 302
    cell = single_cell()
    saved = {name: getattr(cell, name) for name in PROFILE}
    assert (saved, cell.has_committee) == (PROFILE, False)
    assert "Đã lưu thông tin chi bộ." in client.get(URL).text


def test_a_blank_name_is_refused_and_nothing_is_saved(client, secretary):
    client.force_login(secretary)
    response = client.post(URL, {**PROFILE, "name": "   "})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.text
    assert single_cell().name == "Chi bộ"
    assert single_cell().place_name == ""


def test_leaders_and_members_may_not_change_it(client, leader, member):
    for user in (leader, member):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, PROFILE).status_code == 403
    assert single_cell().name == "Chi bộ"


def test_the_tree_is_not_the_secretarys_to_change(client, secretary):
    """Kind and parent are a superuser's: posted anyway, they are ignored."""
    client.force_login(secretary)
    client.post(URL, {**PROFILE, "kind": "committee", "parent": ""})
    cell = single_cell()
    assert cell.kind == Organisation.Kind.CELL
    assert cell.parent is not None


def test_the_member_list_links_to_it_for_the_secretary_only(client, secretary, leader):
    client.force_login(secretary)
    assert URL in client.get(reverse("members:list")).text
    client.force_login(leader)
    assert URL not in client.get(reverse("members:list")).text


def test_the_minutes_print_the_profiles_name(client, secretary, groups, now):
    session = make_session(start=at(2020, 5, 19, 8))
    record(session)
    client.force_login(secretary)
    client.post(URL, PROFILE)
    page = client.get(reverse("sessions:minutes", args=[session.pk])).text
    assert "Chi bộ Cơ quan Liên đoàn Lao động tỉnh" in page
    # The date line starts with the place name (địa danh).
    assert "Lạng Sơn, ngày 19 tháng 05 năm 2020" in page
    report = client.get(reverse("sessions:annual_report", args=[2020])).text
    # Not sent yet: the report's own date is a line to fill in, not the day printed.
    assert "Lạng Sơn, ngày … tháng … năm ……" in report


def test_a_name_taken_under_the_same_committee_is_refused_on_the_field(client, secretary):
    """The name is unique under the committee: a clear message, not a database error."""
    cell = single_cell()
    Organisation.objects.create(
        name="Chi bộ Văn phòng", kind=Organisation.Kind.CELL, parent=cell.parent
    )
    client.force_login(secretary)
    response = client.post(URL, {**PROFILE, "name": "Chi bộ Văn phòng"})
    assert response.status_code == 200
    assert "Đã có tổ chức đảng tên này ở cùng cấp." in response.text
    assert single_cell().name == "Chi bộ"
