"""Login is required everywhere but the login page; each role sees its own menu."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_roles_exist_with_their_permissions():
    secretary = Group.objects.get(name="secretary")
    leader = Group.objects.get(name="leader")
    member = Group.objects.get(name="member")
    assert secretary.permissions.filter(codename="change_attendance").exists()
    assert leader.permissions.filter(codename="view_summary").exists()
    assert not leader.permissions.exclude(codename__startswith="view_").exists()
    assert not member.permissions.filter(codename="view_member").exists()
    assert not member.permissions.filter(codename="view_attendance").exists()


@pytest.mark.parametrize(
    "url",
    ["/", "/members/", "/sessions/plans/", "/sessions/plans/2020/", "/sessions/1/", "/members/1/"],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_login_page_is_in_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text


def test_login_page_ignores_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.text


def test_language_switch_turns_pages_english(client, member):
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="en">' in page.text
    assert "Upcoming sessions" in page.text
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Kỳ sinh hoạt sắp tới" in client.get("/").text


def test_login_with_demo_style_credentials_lands_on_home(client, member):
    response = client.post(
        reverse("login"), {"username": "member", "password": "mật-khẩu-thử-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Chào đồng chí Lương Văn Tuấn" in response.text


def test_wrong_password_shows_a_vietnamese_message(client, member):
    response = client.post(reverse("login"), {"username": "member", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.text


def test_logout_needs_a_post(client, member):
    client.force_login(member)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")


def nav_links(response):
    return {
        "plans": reverse("sessions:plans") in response.text,
        "members": reverse("members:list") in response.text,
    }


def test_member_menu_has_no_secretary_pages(client, member):
    client.force_login(member)
    assert nav_links(client.get("/")) == {"plans": False, "members": False}


def test_leader_and_secretary_menus(client, leader, secretary):
    client.force_login(leader)
    assert nav_links(client.get("/")) == {"plans": True, "members": True}
    client.force_login(secretary)
    assert nav_links(client.get("/")) == {"plans": True, "members": True}


@pytest.mark.parametrize("url", ["/members/", "/sessions/plans/"])
def test_member_cannot_open_member_list_or_plans(client, member, url):
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


def test_unknown_page_is_a_vietnamese_404(client, member):
    client.force_login(member)
    response = client.get("/sessions/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
