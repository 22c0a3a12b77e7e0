"""Every table and chart a leader, an officer or a member reads, on a phone (390 px).

What the reader sees: no page wider than the screen; in a table stacked into
cards, every figure with its column's name shown before it (the ``::before``
of each ``td[data-label]``) and inside the screen; in any other table, every
column header inside the screen; every bar and label of a chart inside the
screen. The clock is the demo's (24 November 2026).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member
from tests.builders import DEMO_TODAY
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Returns what the reader would miss; an empty list when everything shows.
WHAT_IS_HIDDEN = """() => {
  const width = document.documentElement.clientWidth;
  const shown = (rect) => rect.width > 0 && rect.height > 0;
  const inside = (rect) => rect.left >= -0.5 && rect.right <= width + 0.5;
  const name = (el) => (el.textContent || '').trim().slice(0, 40);
  const hidden = [];
  if (document.documentElement.scrollWidth > width) {
    hidden.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  for (const table of document.querySelectorAll('main table')) {
    if (!shown(table.getBoundingClientRect())) continue;
    if (table.classList.contains('table-stack')) {
      for (const td of table.querySelectorAll('td[data-label]')) {
        const rect = td.getBoundingClientRect();
        const label = getComputedStyle(td, '::before').content;
        if (label !== JSON.stringify(td.dataset.label)) {
          hidden.push(`no label "${td.dataset.label}" before "${name(td)}" (${label})`);
        } else if (!shown(rect) || !inside(rect)) {
          hidden.push(`"${td.dataset.label}: ${name(td)}" off screen`);
        }
      }
    } else {
      for (const th of table.querySelectorAll('thead th')) {
        const rect = th.getBoundingClientRect();
        if (!shown(rect) || !inside(rect)) hidden.push(`column "${name(th)}" off screen`);
      }
    }
  }
  for (const chart of document.querySelectorAll('main svg.chart')) {
    if (!shown(chart.getBoundingClientRect())) continue;
    for (const part of chart.querySelectorAll('rect.chart-bar, text')) {
      const rect = part.getBoundingClientRect();
      if (!inside(rect)) hidden.push(`chart ${chart.className.baseVal}: "${name(part)}" cut`);
    }
  }
  return hidden;
}"""


def stacked_labels(page):
    """How many figures show their column's name, in tables stacked into cards."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main table.table-stack td[data-label]')]
             .filter(td => getComputedStyle(td, '::before').content !== 'none').length"""
    )


def reads_on_a_phone(page, name):
    screenshot(page, name)
    assert page.evaluate(WHAT_IS_HIDDEN) == []


@pytest.fixture(autouse=True)
def _demo_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DEMO_TODAY)


def test_the_leader_reads_the_summary_and_the_report_on_a_phone(login, page, demo_site):
    page.set_viewport_size(PHONE)
    login("leader")
    expect(page.locator("table.home-sessions")).to_be_visible()
    reads_on_a_phone(page, "phone-leader-home")
    assert stacked_labels(page) >= 4 * 4  # the year's sessions, and the groups
    # 2026: the year so far; 2020: a full year, its chart too wide for columns.
    for year in (2026, 2020):
        page.goto(f"{demo_site.url}/sessions/summary/{year}/")
        expect(page.locator("h1")).to_contain_text(str(year))
        reads_on_a_phone(page, f"phone-summary-{year}")
        # Quarters, kinds, sessions, members and groups: every figure labelled.
        assert stacked_labels(page) > 100
    narrow = page.locator("svg.chart-sessions-narrow")
    expect(narrow).to_be_visible()
    expect(narrow.locator("rect.chart-bar")).to_have_count(7)
    expect(page.locator("svg.chart-sessions.chart-wide")).to_be_hidden()

    page.goto(f"{demo_site.url}/sessions/report/2020/")
    expect(page.locator("main")).to_contain_text("Năm 2020, chi bộ đã tổ chức 7 kỳ")
    reads_on_a_phone(page, "phone-report-2020")
    assert stacked_labels(page) == 3 * 5  # regular, thematic, both: five figures each
    expect(page.locator("svg.chart-sessions-narrow rect.chart-bar")).to_have_count(7)

    # A member's page and record, as the leader opens them.
    tuan = Member.objects.get(user__username="member")
    page.goto(f"{demo_site.url}/members/{tuan.pk}/")
    reads_on_a_phone(page, "phone-member-detail")
    page.goto(f"{demo_site.url}/sessions/records/{tuan.pk}/2026/")
    reads_on_a_phone(page, "phone-member-record")

    # The minutes of the member's last session, its two signatures one under the other.
    session = tuan.attendances.order_by("-session__start").first().session
    page.goto(f"{demo_site.url}/sessions/{session.pk}/minutes/")
    expect(page.locator(".minutes-signer")).to_have_count(2)
    reads_on_a_phone(page, "phone-minutes")


def test_the_leader_sees_the_whole_tables_on_a_wide_screen(login, page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    login("leader")
    page.goto(f"{demo_site.url}/sessions/summary/2020/")
    # The tables keep their column headers; the columns chart, not the rows.
    expect(page.locator("table.table-stack thead th").first).to_be_visible()
    assert stacked_labels(page) == 0
    expect(page.locator("svg.chart-sessions.chart-wide")).to_be_visible()
    expect(page.locator("svg.chart-sessions-narrow")).to_be_hidden()
    screenshot(page, "wide-summary-2020")


def test_the_committee_reads_each_cell_as_a_card_on_a_phone(login, page, demo_site):
    page.set_viewport_size(PHONE)
    login("committee")
    page.goto(f"{demo_site.url}/sessions/committee/2026/")
    matrix = page.locator("table.committee-matrix")
    expect(matrix).to_be_visible()
    reads_on_a_phone(page, "phone-committee-matrix")
    cells = matrix.locator("tbody tr").count()
    # Four quarters, nine figures, the plan and the report sent: fifteen per cell.
    labelled = page.evaluate(
        """() => [...document.querySelectorAll('table.committee-matrix tbody td[data-label]')]
             .filter(td => getComputedStyle(td, '::before').content !== 'none').length"""
    )
    assert cells >= 2 and labelled == 15 * cells


def test_the_member_reads_home_and_record_on_a_phone(login, page, demo_site):
    page.set_viewport_size(PHONE)
    login("member")
    title = page.locator(".agenda-item .card-title a").first
    expect(title).to_be_visible()
    # A compact title: body-sized, not underlined until touched, at most three lines.
    assert title.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    line = float(title.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)"))
    assert title.bounding_box()["height"] <= 3 * line + 1
    reads_on_a_phone(page, "phone-member-home")
    assert stacked_labels(page) >= 3
    page.get_by_role("link", name="Xem chi tiết và các năm trước").click()
    reads_on_a_phone(page, "phone-my-record")


def test_the_absence_buttons_keep_one_line_on_a_phone(login, page, demo_site):
    page.set_viewport_size(PHONE)
    login("secretary")
    member = Member.objects.get(user__username="member")
    session = member.attendances.order_by("-session__start").first().session
    page.goto(f"{demo_site.url}/sessions/{session.pk}/attendance/")
    choices = page.locator(".attendance-choices").first
    expect(choices).to_be_visible()
    heights = set()
    for name in ("Có mặt", "Vắng có lý do", "Vắng không có lý do"):
        button = choices.locator("label", has_text=name).last
        box = button.bounding_box()
        line = button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
        text = button.evaluate(
            "b => { const r = document.createRange(); r.selectNodeContents(b);"
            " return r.getClientRects().length; }"
        )
        assert text == 1, f"{name} wraps"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= line
        heights.add(round(box["height"]))
    assert len(heights) == 1
    screenshot(page, "phone-attendance-sheet")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
