"""A superuser sets up a committee's Chibo: the tree of organisations, then the first logins."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from members.models import Organisation, Role, single_cell
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def committee(db):
    return single_cell().parent


def test_add_a_cell_under_a_committee_named_or_numbered(committee):
    out = run(
        "add_organisation", "--kind", "cell", "--name", "Chi bộ Sở Y tế", "--parent", committee.name
    )
    cell = Organisation.objects.get(name="Chi bộ Sở Y tế")
    assert (cell.kind, cell.parent) == ("cell", committee)
    assert f"(số {cell.pk})" in out
    run(
        "add_organisation",
        "--kind",
        "sub_committee",
        "--name",
        "Đảng bộ bộ phận 1",
        "--parent",
        str(committee.pk),
    )
    assert Organisation.objects.get(name="Đảng bộ bộ phận 1").parent == committee
    run("add_organisation", "--kind", "committee", "--name", "Đảng bộ Khối doanh nghiệp")
    assert Organisation.objects.get(name="Đảng bộ Khối doanh nghiệp").parent is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "cell", "--name", "Chi bộ mới"], "phải trực thuộc một đảng bộ"),
        (["--kind", "cell", "--name", "Con", "--parent", "CELL"], "Chi bộ không có tổ chức"),
        (["--kind", "cell", "--name", "CELL", "--parent", "COMMITTEE"], "Đã có tổ chức đảng tên"),
        (["--kind", "cell", "--name", "X", "--parent", "999999"], "Không có tổ chức đảng số"),
        (["--kind", "cell", "--name", "X", "--parent", "Không có"], "Không có tổ chức đảng tên"),
        (["--kind", "cell", "--name", " ", "--parent", "COMMITTEE"], "Tên đầy đủ: "),
    ],
)
def test_a_bad_organisation_is_refused_clearly(committee, args, message):
    cell = single_cell()
    args = [{"CELL": cell.name, "COMMITTEE": str(committee.pk)}.get(a, a) for a in args]
    before = Organisation.objects.count()
    with pytest.raises(CommandError, match=message):
        run("add_organisation", *args)
    assert Organisation.objects.count() == before


def test_a_name_two_organisations_share_asks_for_a_number(committee):
    other = Organisation.objects.create(kind="committee", name="Đảng bộ khác")
    Organisation.objects.create(kind="cell", name="Chi bộ Văn phòng", parent=committee)
    Organisation.objects.create(kind="cell", name="Chi bộ Văn phòng", parent=other)
    with pytest.raises(CommandError, match="hãy ghi số"):
        run(
            "give_role",
            "--username",
            "bt",
            "--organisation",
            "Chi bộ Văn phòng",
            "--role",
            "secretary",
        )


def test_give_a_new_login_a_role_and_a_one_time_link(client, committee):
    cell = single_cell()
    out = run(
        "give_role", "--username", "bithu", "--organisation", cell.name, "--role", "secretary"
    )
    user = User.objects.get(username="bithu")
    assert not user.has_usable_password()
    assert list(user.roles.values_list("organisation", "kind")) == [(cell.pk, "secretary")]
    assert "changepassword bithu" in out
    link = next(word for word in out.split() if "/set-password/" in word)
    response = client.get(urlsplit(link).path, follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.content.decode()


def test_give_the_committee_role_at_the_committee(committee):
    run(
        "give_role",
        "--username",
        "vanphong",
        "--organisation",
        str(committee.pk),
        "--role",
        "committee",
    )
    assert Role.objects.get(user__username="vanphong").organisation == committee


def test_an_existing_login_gets_its_role_changed_and_no_new_password(committee):
    User.objects.create_user("lanhdao", password="mật-khẩu-thử-1")
    cell = single_cell()
    run("give_role", "--username", "lanhdao", "--organisation", cell.name, "--role", "member")
    out = run("give_role", "--username", "lanhdao", "--organisation", cell.name, "--role", "leader")
    assert list(Role.objects.filter(user__username="lanhdao").values_list("kind", flat=True)) == [
        "leader"
    ]
    assert "set-password" not in out
    assert User.objects.get(username="lanhdao").check_password("mật-khẩu-thử-1")


def test_the_login_becomes_the_members(committee):
    member = make_member(name="Nông Thị Hương")
    run(
        "give_role", "--username", "huong", "--organisation", str(member.cell_id),
        "--role", "secretary", "--member-id", str(member.pk),
    )  # fmt: skip
    member.refresh_from_db()
    assert member.user.username == "huong" and member.user.first_name == "Nông Thị Hương"


@pytest.mark.parametrize(
    ("where", "role", "message"),
    [
        ("CELL", "committee", "gắn với một đảng bộ"),
        ("COMMITTEE", "secretary", "giữ vai trò trong một chi bộ"),
        ("OTHER_CELL", "secretary", "không thuộc"),
    ],
)
def test_a_role_in_the_wrong_place_is_refused_and_no_login_made(committee, where, role, message):
    member = make_member()
    other = Organisation.objects.create(kind="cell", name="Chi bộ khác", parent=committee)
    organisation = {"CELL": single_cell(), "COMMITTEE": committee, "OTHER_CELL": other}[where]
    args = ["--username", "moi", "--organisation", str(organisation.pk), "--role", role]
    if where == "OTHER_CELL":
        args += ["--member-id", str(member.pk)]
    with pytest.raises(CommandError, match=message):
        run("give_role", *args)
    assert not User.objects.filter(username="moi").exists()


def test_a_bad_login_name_or_member_is_refused(committee):
    cell = single_cell()
    with pytest.raises(CommandError, match="Tên đăng nhập"):
        run("give_role", "--username", "bí thư", "--organisation", cell.name, "--role", "member")
    with pytest.raises(CommandError, match="Không có đảng viên số"):
        run(
            "give_role",
            "--username",
            "a",
            "--organisation",
            cell.name,
            "--role",
            "member",
            "--member-id",
            "999999",
        )
    assert not User.objects.exists()


def test_the_admin_lists_organisations_and_roles(client, committee):
    admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử-1")
    Role.objects.create(user=admin, organisation=committee, kind="committee")
    client.force_login(admin)
    for url in ["/admin/members/organisation/", "/admin/members/role/", "/admin/members/role/add/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "quantri" in client.get("/admin/members/role/").content.decode()
