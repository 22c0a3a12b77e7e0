"""Standing over time: probationary from the day admitted, full from the day made full.

``Member.standing_on`` is the one rule (and ``with_standing_on`` the same in the
database); every page, export and report of a past year reads the standing
the member had then. The secretary's home lists probations ending soon.
"""

import csv
import datetime as dt
import io
import json
import shutil
import sqlite3

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.lib.dates import add_months, days_reaching
from members.forms import MemberForm
from members.importing import ImportRow, check_rows
from members.models import Member, member_date_errors
from sessions.reports.annual_report import annual_report
from sessions.reports.summaries import year_summary
from tests.builders import DEMO_TODAY, load_demo_at
from tests.factories import make_member
from tests.test_migration_cells import BEFORE, run

pytestmark = pytest.mark.django_db

D = dt.date
FULL, PROBATIONARY = Member.Standing.FULL, Member.Standing.PROBATIONARY


# --- The rule ------------------------------------------------------------------------


def test_standing_on_turns_full_on_the_day_made_full(groups):
    member = make_member(
        groups[0], joined_party_on=D(2019, 11, 5), full_member_on=D(2021, 1, 12), standing=FULL
    )
    assert member.standing_on(D(2019, 11, 5)) == PROBATIONARY
    assert member.standing_on(D(2021, 1, 11)) == PROBATIONARY
    assert member.standing_on(D(2021, 1, 12)) == FULL
    assert member.standing_in_year(2020) == PROBATIONARY
    assert member.standing_in_year(2021) == FULL
    assert member.standing_label_on(D(2020, 5, 14)) == "Dự bị"


def test_without_a_date_the_stored_standing_holds_for_every_day(groups):
    full = make_member(groups[0], joined_party_on=D(2019, 11, 5), standing=FULL)
    probationary = make_member(groups[0], joined_party_on=D(2026, 2, 3), standing=PROBATIONARY)
    assert [full.standing_on(D(2019, 12, 1)), full.standing_in_year(2020)] == [FULL, FULL]
    assert probationary.standing_on(D(2026, 11, 1)) == PROBATIONARY


def test_a_member_who_left_has_the_standing_of_the_day_they_left(groups):
    member = make_member(
        groups[0],
        joined=D(2019, 1, 1),
        joined_party_on=D(2019, 1, 1),
        full_member_on=D(2020, 3, 1),
        standing=FULL,
        left_cell_on=D(2020, 2, 1),
        left_reason="transfer",
    )
    assert member.standing_in_year(2020) == PROBATIONARY


@pytest.mark.parametrize(
    "day", [D(2019, 11, 4), D(2019, 11, 5), D(2020, 6, 1), D(2021, 1, 12), D(2026, 1, 1)]
)
def test_the_database_annotation_agrees_with_the_method(groups, day):
    for full_on, standing in ((D(2021, 1, 12), FULL), (None, FULL), (None, PROBATIONARY)):
        make_member(
            groups[0], joined_party_on=D(2019, 11, 5), full_member_on=full_on, standing=standing
        )
    members = Member.objects.of_cell(groups[0].cell).with_standing_on(day)
    assert [m.standing_then for m in members] == [m.standing_on(day) for m in members]


# --- Validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_on", "message"),
    [
        (D(2019, 10, 1), "Ngày chuyển chính thức không thể trước ngày vào Đảng (05/11/2019)."),
        (
            D(2020, 5, 1),
            "Thời kỳ dự bị là 12 tháng: ngày chuyển chính thức sớm nhất là 05/11/2020.",
        ),
        (D(2030, 1, 1), "Ngày chuyển chính thức không thể ở tương lai."),
    ],
)
def test_a_wrong_day_made_full_is_refused(now, full_on, message):
    errors = member_date_errors(joined_party_on=D(2019, 11, 5), full_member_on=full_on)
    assert str(errors["full_member_on"]) == message


def test_twelve_months_to_the_day_is_accepted(now):
    assert not member_date_errors(joined_party_on=D(2019, 2, 28), full_member_on=D(2020, 2, 28))
    assert member_date_errors(joined_party_on=D(2019, 2, 28), full_member_on=D(2020, 2, 27))
    assert not member_date_errors(joined_party_on=D(2019, 5, 14), full_member_on=D(2020, 5, 14))


def test_the_database_refuses_a_probationary_member_with_a_day_made_full(groups):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member(groups[0], full_member_on=D(2020, 1, 1), standing=PROBATIONARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member(groups[0], joined_party_on=D(2020, 1, 1), full_member_on=D(2019, 1, 1))


def test_the_member_form_takes_the_day_made_full(groups, now):
    data = {
        "full_name": "Bế Thị Mai",
        "group": groups[0].pk,
        "standing": PROBATIONARY,
        "position": "member",
        "joined_party_on": "05/11/2018",
        "full_member_on": "12/01/2020",
        "joined_cell_on": "05/11/2018",
    }
    form = MemberForm(data, instance=Member(cell=groups[0].cell))
    assert "Đã ghi ngày chuyển chính thức" in form.errors["standing"][0]
    form = MemberForm({**data, "standing": FULL}, instance=Member(cell=groups[0].cell))
    assert form.is_valid(), form.errors
    assert form.save().full_member_on == D(2020, 1, 12)


def test_the_import_accepts_the_day_made_full_optionally(groups, now):
    base = {"full_name": "Bế Thị Mai", "group": "Tổ 1", "joined_cell_on": "05/11/2018"}
    rows = [
        ImportRow(line=2, raw={**base, "joined_party_on": "05/11/2018"}),
        ImportRow(
            line=3,
            raw={
                **base,
                "full_name": "Hoàng Minh Đức",
                "joined_party_on": "05/11/2018",
                "full_member_on": "12/01/2020",
            },
        ),
        ImportRow(
            line=4,
            raw={
                **base,
                "full_name": "Đàm Thị Huệ",
                "standing": "Dự bị",
                "joined_party_on": "05/11/2018",
                "full_member_on": "01/02/2019",
            },
        ),
    ]
    first, second, third = check_rows(rows, cell=groups[0].cell)
    assert (first.errors, first.data["full_member_on"]) == ([], None)
    assert (second.errors, second.data["full_member_on"]) == ([], D(2020, 1, 12))
    assert any("12 tháng" in error for error in third.errors)
    assert any("Đã ghi ngày chuyển chính thức" in error for error in third.errors)


# --- The probation list on the secretary's home -------------------------------------


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2025, 12, 19), 12) == D(2026, 12, 19)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert days_reaching(D(2025, 2, 28), D(2025, 2, 28), 12) == (D(2024, 2, 28), D(2024, 2, 29))


def test_the_probation_rule_is_twelve_months_and_sixty_days_notice(settings):
    assert (settings.CHIBO_PROBATION_MONTHS, settings.CHIBO_PROBATION_NOTICE_DAYS) == (12, 60)


def test_the_home_lists_probations_ending_within_sixty_days(client, secretary, groups, now):
    today = timezone.localdate()  # 1 June 2020
    for name, joined in [
        ("Ends Today", D(2019, 6, 1)),
        ("Ends In Sixty", add_months(today + dt.timedelta(days=60), -12)),
        ("Ends In Sixty One", add_months(today + dt.timedelta(days=61), -12)),
        ("Ended Yesterday", D(2019, 5, 31)),
    ]:
        make_member(groups[0], name, joined_party_on=joined, standing=PROBATIONARY)
    make_member(groups[0], "Made Full", joined_party_on=D(2019, 6, 1), full_member_on=D(2020, 6, 1))
    client.force_login(secretary)
    response = client.get(reverse("home"))
    listed = [member.full_name for member in response.context["probation_ending"]]
    assert listed == ["Ends Today", "Ends In Sixty"]
    assert "hết dự bị 31/07/2020" in response.content.decode()


@override_settings(CHIBO_PROBATION_NOTICE_DAYS=10)
def test_the_notice_days_are_the_setting(client, secretary, groups, now):
    make_member(groups[0], "Ends In Thirty", joined_party_on=D(2019, 7, 1), standing=PROBATIONARY)
    client.force_login(secretary)
    assert client.get(reverse("home")).context["probation_ending"] == []


# --- The demo: 2020 as it was ------------------------------------------------------


@pytest.fixture
def demo(monkeypatch):
    load_demo_at(monkeypatch)


DEMO_PROBATIONARY_END_2020 = ["Bế Thị Mai", "Hoàng Minh Đức"]


def test_the_demos_2020_has_probationary_members_who_are_full_today(demo, client):
    cell = Member.objects.get(full_name="Bế Thị Mai").cell
    summary = year_summary(2020, cell=cell)
    probationary = sorted(row.member.full_name for row in summary.members if row.is_probationary)
    assert probationary == DEMO_PROBATIONARY_END_2020
    today = Member.objects.of_cell(cell).filter(full_name__in=probationary)
    assert {member.standing for member in today} == {FULL}
    assert (
        "Cuối năm, 2 đồng chí là đảng viên dự bị." in annual_report(2020, cell).standing_sentence()
    )

    client.force_login(User.objects.get(username="secretary"))
    report = client.get(reverse("sessions:annual_report", args=[2020])).content.decode()
    assert "Cuối năm, 2 đồng chí là đảng viên dự bị." in report
    page = client.get(reverse("sessions:summary", args=[2020])).content.decode()
    assert page.count('<span class="badge text-bg-info">Dự bị</span>') == 2
    mai = Member.objects.get(full_name="Bế Thị Mai")
    record = client.get(reverse("sessions:member_record", args=[mai.pk, 2020])).content.decode()
    assert "· Dự bị" in record


def test_the_demos_2020_exports_give_the_standing_then(demo, client):
    client.force_login(User.objects.get(username="leader"))
    response = client.get(reverse("sessions:export_csv", args=[2020]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    standing = {(line[1], line[5]): line[10] for line in lines[1:]}
    # Đàm Thị Huệ was made full on 07/09/2020: probationary before, full after.
    huệ = sorted((day, value) for (day, name), value in standing.items() if name == "Đàm Thị Huệ")
    assert {value for day, value in huệ if day.endswith("/2020") and day[3:5] < "09"} == {"Dự bị"}
    assert {value for day, value in huệ if day[3:5] > "09"} == {"Chính thức"}
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("sessions:export_xlsx", args=[2020])).content)
    ).worksheets[0]
    notes = {
        row[1]: " ".join(str(value) for value in row if value)
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[0], int)
    }
    assert "Dự bị" in notes["Bế Thị Mai"]
    assert "Chuyển chính thức 07/09/2020" in notes["Đàm Thị Huệ"]


def test_the_demos_home_lists_the_probation_ending_soon(demo, client):
    client.force_login(User.objects.get(username="secretary"))
    response = client.get(reverse("home"))
    assert [m.full_name for m in response.context["probation_ending"]] == ["Nông Minh Khang"]
    assert DEMO_TODAY.date() <= response.context["probation_ending"][0].probation_ends_on


# --- The migration -------------------------------------------------------------------

READ = """
import json

import django

django.setup()
from members.models import Member

print(json.dumps([
    [m.pk, m.standing, m.full_member_on, m.standing_in_year(2020)]
    for m in Member.objects.across_cells().order_by("pk")
], default=str))
"""


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("standing")
    database = tmp_path / "chibo.sqlite3"
    shutil.copyfile(BEFORE, database)
    with sqlite3.connect(database) as db:
        before = db.execute("SELECT id, standing FROM members_member ORDER BY id").fetchall()
    run(["manage.py", "migrate", "--no-input", "-v", "0"], database, tmp_path)
    after = json.loads(run(["-c", READ], database, tmp_path).strip().splitlines()[-1])
    run(["manage.py", "migrate", "members", "0008", "--no-input", "-v", "0"], database, tmp_path)
    with sqlite3.connect(database) as db:
        back = db.execute("SELECT id, standing FROM members_member ORDER BY id").fetchall()
    return before, after, back


def test_the_migration_keeps_every_members_standing_without_inventing_dates(upgraded):
    before, after, back = upgraded
    assert len(before) == 34
    assert [[pk, standing] for pk, standing in before] == [row[:2] for row in after]
    assert {row[2] for row in after} == {None}
    # Without a date, 2020's pages show the stored standing: a full member stays full.
    assert [row[3] for row in after] == [row[1] for row in after]
    assert back == before
