"""axe-core on every page each role reaches, in Chromium, on a phone and a desktop.

Each role logs in to the demo and follows every link of the server, as the
crawl of tests/test_crawl.py does, but in the browser: the page is drawn with
its styles, and axe-core (the engine of browsers' accessibility audits,
bundled by axe-playwright-python; nothing is fetched) checks what is on
screen. A page fails on any violation axe rates serious or critical (colour
contrast at WCAG AA, names of links and controls, labels, …) and on the three
rules of lower rank that make a page hard to read with a screen reader or a
keyboard: a skipped heading level, an empty table header, a region that
scrolls but cannot be reached by keyboard.

Pages of one kind (one URL pattern) look alike: each pattern is opened
``PER_PATTERN`` times, on the first pages the crawl finds, and the states a
crawl does not reach by links are opened on purpose: a form sent with
mistakes, a meeting under way (its check-in page), a year without meetings,
the login page.
"""

import datetime as dt
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from members.workplace import member_of
from sessions.models import AnnualPlan, ThematicSession
from tests.builders import DEMO_TODAY
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}
BLOCKING_RULES = {"heading-order", "empty-table-header", "scrollable-region-focusable"}
PER_PATTERN = 2
# Files open in another program, not in the browser: axe has nothing to read.
FILE_SUFFIXES = (".docx", ".pdf", ".xlsx", ".csv", ".ics", ".png", ".jpg", ".svg")
NOT_PAGES = {"logout", "media", "set_language"}

axe = Axe()


@pytest.fixture(autouse=True)
def _demo_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DEMO_TODAY)


@pytest.fixture
def screen(browser, viewport, demo_site):
    """A page of that size, closed before the test's data goes (the sheet polls for check-ins)."""
    context = browser.new_context(viewport=viewport)
    yield context.new_page()
    context.close()


def violations(page):
    """What axe finds on the page that fails the test, one line each."""
    found = axe.run(page).response["violations"]
    return [
        f"{urlsplit(page.url).path}: {rule['id']} ({rule['impact']}) {rule['help']}"
        f" — {', '.join(str(node['target']) for node in rule['nodes'][:3])}"
        for rule in found
        if rule["impact"] in BLOCKING_IMPACTS or rule["id"] in BLOCKING_RULES
    ]


def pattern_of(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def audit_links(page, base, *starts):
    """Open every page reachable by links from ``starts``; return what was opened and found."""
    queue = deque(starts or ["/"])
    seen = set(queue)
    opened, problems = Counter(), []
    while queue:
        path = queue.popleft()
        pattern = pattern_of(path)
        if (
            pattern is None
            or pattern in NOT_PAGES
            or opened[pattern] >= PER_PATTERN
            or urlsplit(path).path.endswith(FILE_SUFFIXES)
        ):
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError:  # a download (the member's own data, a file)
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, f"{path} answered {response.status}"
        opened[pattern] += 1
        problems += violations(page)
        for href in page.eval_on_selector_all("a[href]", "a => a.map(e => e.getAttribute('href'))"):
            link = href.split("#")[0]
            if link.startswith("/") and not link.startswith("//") and link not in seen:
                seen.add(link)
                queue.append(link)
    return opened, problems


def log_in(page, base, username):
    page.goto(f"{base}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def sent_with_mistakes(page, base, path, button_name):
    """The form at ``path`` sent empty, past the browser's own checks: the page of errors."""
    page.goto(base + path)
    page.locator("main form").last.evaluate("form => form.noValidate = true")
    for field in page.locator("main form input[required]:not([type=radio])").all():
        field.fill("")
    page.get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger, .errorlist").count()
    return violations(page)


def held_meetings():
    """The pages of the last thematic session and the last regular meeting held."""
    held = ThematicSession.objects.filter(
        plan__cell=member_of(User.objects.get(username="member")).cell,
        end__lt=DEMO_TODAY,
        status=ThematicSession.Status.HELD,
    ).order_by("-start")
    return [
        held.filter(thematic=True).first().get_absolute_url(),
        held.filter(thematic=False).first().get_absolute_url(),
    ]


def meeting_under_way():
    """A meeting of the demo cell that started half an hour ago: its check-in is open."""
    cell = member_of(User.objects.get(username="member")).cell
    start = DEMO_TODAY - dt.timedelta(minutes=30)
    return ThematicSession.objects.create(
        plan=AnnualPlan.objects.get(year=2026, cell=cell),
        topic="Học tập Chỉ thị 05 tại chỗ",
        start=start,
        end=start + dt.timedelta(minutes=120),
        location="Hội trường tầng 2",
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_secretary_s_pages(screen, demo_site):
    page = screen
    session = meeting_under_way()
    log_in(page, demo_site.url, "secretary")
    opened, problems = audit_links(page, demo_site.url, "/", *held_meetings())
    for path in (
        reverse("sessions:check_in", args=[session.pk]),
        reverse("sessions:summary", args=[2031]),
        reverse("sessions:annual_report", args=[2031]),
    ):
        page.goto(demo_site.url + path)
        problems += violations(page)
    problems += sent_with_mistakes(page, demo_site.url, reverse("members:create"), "Lưu")
    problems += sent_with_mistakes(
        page, demo_site.url, reverse("sessions:edit", args=[session.pk]), "Lưu kỳ sinh hoạt"
    )
    # The crawl reached the secretary's work, not only the first pages.
    assert {
        "sessions:attendance",
        "sessions:minutes_edit",
        "sessions:resolution_edit",
        "sessions:grading",
        "sessions:plan_regular",
        "members:detail",
        "members:import",
        "history:cell",
    } <= set(opened)
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("username", ["leader", "member"])
def test_the_leader_s_and_the_member_s_pages(screen, demo_site, username):
    page = screen
    meeting_under_way()
    log_in(page, demo_site.url, username)
    opened, problems = audit_links(page, demo_site.url, "/", *held_meetings())
    assert {"home", "sessions:detail", "sessions:my_record", "sessions:calendar"} <= set(opened)
    if username == "leader":
        assert {"sessions:summary", "sessions:annual_report", "members:list"} <= set(opened)
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_committee_officer_s_pages(screen, demo_site):
    page = screen
    log_in(page, demo_site.url, "committee")
    last_year = reverse("sessions:committee", args=[2025])
    opened, problems = audit_links(page, demo_site.url, "/", last_year)
    assert opened == {"home": 1, "sessions:committee": 1, "password_change": 1}
    # Then inside a cell, as the officer reads it after opening it from the matrix.
    page.goto(demo_site.url + "/")
    page.locator("main button[form='open-cell']").first.click()
    page.wait_for_load_state()
    inside, more = audit_links(page, demo_site.url, urlsplit(page.url).path, *held_meetings())
    assert {"sessions:summary", "sessions:annual_report"} <= set(inside)
    assert problems + more == []


def test_the_pages_before_logging_in(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/")
    problems = violations(page)
    page.fill("#id_username", "secretary")
    page.fill("#id_password", "not the password")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger, .errorlist").count()
    problems += violations(page)
    page.set_viewport_size(DESKTOP)
    problems += violations(page)
    assert problems == []
