"""Each demo login reaches its own home page in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


CHIBO_RED = "rgb(163, 29, 29)"  # --chibo-red in static/css/chibo.css


@pytest.mark.parametrize(
    ("username", "name", "heading", "content"),
    [
        (
            "secretary",
            "Nông Thị Hương",
            "Việc cần làm của chi bộ",
            "Kế hoạch sinh hoạt chuyên đề năm",
        ),
        ("leader", "Hoàng Văn Thắng", "Sinh hoạt chuyên đề năm", "Tỷ lệ dự sinh hoạt theo tổ Đảng"),
        ("member", "Lương Văn Tuấn", "Chào đồng chí Lương Văn Tuấn", "Kỳ sinh hoạt sắp tới"),
    ],
)
def test_demo_role_sees_its_home_page(login, username, name, heading, content):
    page = login(username)
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("main")).to_contain_text(content)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # The page is drawn with its own styles and pictures, not as bare HTML:
    # the red bar of chibo.css, Bootstrap's layout, every image loaded.
    navbar = page.locator("nav.chibo-navbar")
    expect(navbar).to_be_visible()
    expect(navbar).to_have_css("background-color", CHIBO_RED)
    expect(navbar).to_have_css("display", "flex")
    expect(navbar.get_by_role("button", name=name)).to_be_visible()
    broken = page.evaluate(
        "[...document.images].filter(img => !img.complete || !img.naturalWidth).map(img => img.src)"
    )
    assert broken == []
    screenshot(page, f"home-{username}")


def test_anonymous_visitor_sees_only_the_login_page(page, demo_site):
    page.goto(f"{demo_site.url}/members/")
    expect(page).to_have_url(f"{demo_site.url}/accounts/login/?next=/members/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")


def test_member_home_fits_a_phone(login, page):
    page.set_viewport_size({"width": 390, "height": 844})
    login("member")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_role("button", name="Mở trình đơn").click()
    expect(page.get_by_role("link", name="Trang chủ")).to_be_visible()
    screenshot(page, "home-member-phone")


def test_language_switch_shows_english(login, page):
    login("leader")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Thematic sessions in")
