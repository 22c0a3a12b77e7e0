"""The committee's officer reads the matrix of its cells and drills into one, in a browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_opens_the_matrix_and_drills_into_a_cell(login):
    page = login("committee")
    expect(page.locator("h1")).to_contain_text("Sinh hoạt chuyên đề của các chi bộ năm")
    matrix = page.locator("table.committee-matrix")
    expect(matrix.locator("tbody tr")).to_have_count(6)
    # The sibling that skipped the third quarter of 2020 shows it red, in words too.
    page.select_option("#year-select", "2020")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text("năm 2020")
    short = matrix.locator("td.table-danger", has_text="chưa đủ")
    expect(short.first).to_be_visible()
    screenshot(page, "committee-matrix")

    matrix.get_by_role("button", name="Chi bộ Sở Y tế").click()
    expect(page).to_have_url(f"{page.url.split('/sessions/')[0]}/sessions/summary/2020/")
    expect(page.locator("h1")).to_contain_text("Tổng hợp sinh hoạt chuyên đề năm 2020")
    expect(page.locator("#workplace-menu")).to_contain_text("Chi bộ Sở Y tế")
    # Reading as the committee's officer: no button that changes the cell.
    page.locator("#workplace-menu").click()
    expect(page.get_by_text("Xem với tư cách cán bộ")).to_be_visible()
    expect(page.get_by_role("link", name="Kế hoạch năm")).to_be_visible()
    screenshot(page, "committee-drill-down")
