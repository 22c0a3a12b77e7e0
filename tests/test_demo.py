"""The demo cell is the article's model case, and loading it twice changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from PIL import Image

from chibo.demo.siblings import COMMITTEE_LOGIN, SIBLINGS
from members.models import Exemption, Member, Organisation, PartyGroup, Role, single_cell
from members.workplace import member_of
from sessions.models import (
    AnnualPlan,
    Attendance,
    AttendanceFigures,
    Award,
    ContestTeam,
    Photo,
    ResolutionTask,
    Submission,
    TaskReview,
    ThematicSession,
)
from sessions.reports.summaries import year_summary
from sessions.sent import sent_for
from tests.factories import at

pytestmark = pytest.mark.django_db


TODAY = at(2026, 11, 24, 9, 0)


@pytest.fixture
def demo(monkeypatch):
    """The demo as loaded on 24 November 2026."""
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    call_command("load_demo", stdout=StringIO())


def snapshot():
    models = [
        Organisation,
        Role,
        PartyGroup,
        Member,
        Exemption,
        AnnualPlan,
        ThematicSession,
        Attendance,
        ContestTeam,
        Award,
        Photo,
        Submission,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_loading_twice_changes_nothing(demo, capsys):
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before
    assert "không thay đổi gì" in capsys.readouterr().out


def test_thirty_members_in_four_groups_in_2020(demo):
    seed = single_cell()
    assert PartyGroup.objects.of_cell(seed).count() == 4
    in_2020 = Member.objects.of_cell(seed).in_cell_on(dt.date(2020, 12, 31))
    assert in_2020.count() == 30
    assert Member.objects.of_cell(seed).filter(temporary=True).count() == 1
    assert Member.objects.of_cell(seed).filter(standing=Member.Standing.PROBATIONARY).exists()


def test_one_member_exempt_and_one_who_left_after_2020(demo):
    assert Exemption.objects.count() == 1
    leaver = Member.objects.of_cell(single_cell()).get(left_cell_on__isnull=False)
    assert leaver.left_cell_on.year > 2020
    assert leaver.attendances.filter(session__start__year=2020).count() == 7 + 9


def test_2020_plan_has_seven_sessions_one_by_group_two_contests(demo):
    sessions = ThematicSession.objects.of_cell(single_cell()).for_year(2020).thematic()
    assert sessions.held().count() == 7
    assert sessions.filter(scope="groups").count() == 1
    assert sessions.get(scope="groups").group_meetings.count() == 4
    contests = sessions.filter(format="contest")
    assert contests.count() == 2
    assert any("Rung chuông vàng" in s.topic for s in contests)
    assert any("Olympia" in s.topic for s in contests)
    for contest in contests:
        assert contest.contest_teams.count() == 4
        assert contest.awards.filter(member__isnull=False).exists()
        assert contest.awards.exclude(guest_name="").exists()
    assert sessions.filter(guest_count__gt=0).count() >= 2


def test_2020_contests_and_the_group_session_have_photos_with_captions(demo):
    photos = Photo.objects.filter(session__plan__year=2020).select_related("session")
    assert {photo.session.format for photo in photos} == {"contest", "presentation"}
    assert any("Rung chuông vàng" in photo.caption for photo in photos)
    for photo in photos:
        assert photo.caption and photo.uploaded_by.username == "secretary"
        with photo.image.open() as image, Image.open(image) as picture:
            assert picture.format == "JPEG"
        assert default_storage.exists(photo.thumbnail.name)


def test_2020_attendance_is_fairly_complete(demo):
    seed_2020 = Attendance.objects.of_cell(single_cell()).for_year(2020)
    figures = AttendanceFigures.from_row(seed_2020.figures())
    assert figures.rate > 85
    assert figures.excused > 0
    assert figures.unexcused >= 1


def test_2020_sessions_are_graded_by_criteria_under_the_2018_scheme(demo):
    """Scores and grades as the seed has them; each Tốt has the attendance the rule asks."""
    held = (
        ThematicSession.objects.of_cell(single_cell())
        .for_year(2020)
        .thematic()
        .held()
        .order_by("start")
    )
    assert {session.grading_scheme for session in held} == {"hd12-2018"}
    assert [int(session.score) for session in held] == [94, 88, 85, 82, 95, 86, 90]
    assert [session.grade for session in held] == [
        "good", "fair", "fair", "fair", "good", "fair", "good"
    ]  # fmt: skip
    for session in held:
        rows = dict(session.criterion_scores.values_list("criterion", "points"))
        assert set(rows) == {"preparation", "attendance", "conduct", "conclusion"}
        assert sum(rows.values()) == session.score
        if session.grade == "good":
            assert session.attendance_figures().is_good()


def test_current_year_has_recorded_and_upcoming_sessions(demo):
    sessions = ThematicSession.objects.of_cell(single_cell()).for_year(2026).thematic()
    assert sessions.held().count() == 3
    assert all(s.attendances.exists() for s in sessions.held())
    assert sessions.upcoming(TODAY).count() == 2
    assert sessions.filter(status="postponed", postponements__isnull=False).exists()
    assert AnnualPlan.objects.of_cell(single_cell()).get(year=2026).quarters_without_session() == []


def test_2020_has_twelve_regular_meetings_three_with_a_thematic_session(demo):
    meetings = ThematicSession.objects.of_cell(single_cell()).for_year(2020).regular()
    assert meetings.held().count() == 12
    assert sorted({m.start.month for m in meetings}) == list(range(1, 13))
    combined = meetings.filter(thematic=True)
    assert combined.count() == 3
    assert combined.get(scope="groups").start.month == 5
    rows = Attendance.objects.filter(session__in=meetings)
    figures = AttendanceFigures.from_row(rows.figures())
    assert figures.rate > 90 and figures.unexcused >= 1


def test_regular_meetings_carry_resolutions_followed_up(demo):
    tasks = ResolutionTask.objects.of_cell(single_cell())
    # Two at each of 2020's meetings but December's, whose year ends with its report.
    assert tasks.filter(session__start__year=2020).count() == 22
    assert not tasks.filter(session__start__year=2020).open().exists()
    reviews = TaskReview.objects.of_cell(single_cell())
    assert set(reviews.values_list("outcome", flat=True)) == {"done", "late", "not_done"}
    # A late task carries over to the next meeting, which finds it done.
    late = reviews.filter(outcome="late").first()
    assert late.task.reviews.filter(outcome="done").exists()
    # The current year to date: meetings held up to today, the rest planned.
    meetings = ThematicSession.objects.of_cell(single_cell()).for_year(2026).regular()
    assert meetings.count() == 12
    assert meetings.held().count() == 11 and meetings.upcoming(TODAY).count() == 1
    assert tasks.open().filter(responsible__isnull=False).exists()


def test_a_sibling_member_reaches_the_removal_rule(demo):
    flagged = []
    for cell in Organisation.objects.filter(kind="cell").exclude(pk=single_cell().pk):
        flagged += year_summary(2020, cell=cell).members_removal
    assert flagged


def test_the_year_end_review_names_its_year(demo):
    seed_2026 = ThematicSession.objects.of_cell(single_cell()).for_year(2026)
    (review,) = seed_2026.filter(topic__startswith="Tổng kết")
    assert review.topic == (
        "Tổng kết công tác xây dựng Đảng năm 2026 và nâng cao chất lượng sinh hoạt chi bộ"
    )
    assert not ThematicSession.objects.filter(topic__contains="{")


def test_the_secretary_sent_the_plans_and_the_2020_report_on_time(demo):
    sent = Submission.objects.of_cell(single_cell()).order_by("pk")
    assert [(s.reference, s.year, s.dated_on) for s in sent] == [
        ("1-KH/CB", 2020, dt.date(2020, 1, 13)),
        ("2-BC/CB", 2020, dt.date(2020, 12, 14)),
        ("1-KH/CB", 2026, dt.date(2026, 1, 20)),
    ]
    assert {s.sent_by.username for s in sent} == {"secretary"}
    assert "Kết quả sinh hoạt chuyên đề năm 2020" in sent[1].body
    assert sent[1].figures["sessions"]["held"] == 7
    [cell] = sent_for([sent[0].cell], 2026)
    assert (cell.plan.sent, cell.plan.late, cell.report.sent, cell.report.late) == (
        True,
        False,
        False,
        False,  # due on 15 December; the demo's day is 24 November
    )


def test_the_sibling_cells_sent_their_plans_the_small_one_late(demo):
    cells = list(Organisation.objects.cells().exclude(pk=single_cell().pk))
    found = {row.cell.name: row for row in sent_for(cells, 2020)}
    late = {name for name, row in found.items() if row.plan.late}
    assert all(row.plan.sent for row in found.values())
    assert late == {cell.name for cell in cells if not cell.has_committee}


def test_demo_logins_have_their_roles(demo):
    for username, perm in [
        ("secretary", "thematic.change_thematicsession"),
        ("leader", "thematic.view_summary"),
        ("member", "thematic.view_thematicsession"),
    ]:
        user = authenticate(HttpRequest(), username=username, password="chibo-demo")
        assert user is not None and user.has_perm(perm)
        assert member_of(user) is not None
    assert not authenticate(HttpRequest(), username="member", password="chibo-demo").has_perm(
        "members.view_member"
    )


# --- The committee: the seed cell's five siblings and the officer's login -------------


def siblings():
    committee = single_cell().parent
    return {cell.name: cell for cell in Organisation.objects.cells().filter(parent=committee)}


def test_five_sibling_cells_of_different_sizes_under_the_seed_cells_committee(demo):
    cells = siblings()
    assert len(cells) == 6
    sizes = {spec.name: Member.objects.of_cell(cells[spec.name]).count() for spec in SIBLINGS}
    assert sizes == {spec.name: spec.members for spec in SIBLINGS}
    for spec in SIBLINGS:
        cell = cells[spec.name]
        plans = AnnualPlan.objects.of_cell(cell)
        assert set(plans.values_list("year", "status")) == {(2020, "approved"), (2026, "approved")}
        held = ThematicSession.objects.of_cell(cell).held()
        assert held.exists()
        for session in held:
            assert session.attendances.count() == session.expected_members().count()


def test_one_sibling_missed_a_quarter_of_2020_the_others_did_not(demo):
    missed = {
        name: AnnualPlan.objects.of_cell(cell).get(year=2020).quarters_without_session()
        for name, cell in siblings().items()
    }
    assert missed.pop("Chi bộ Sở Y tế") == [3]
    assert set(map(tuple, missed.values())) == {()}


def test_one_sibling_has_weak_attendance_and_members_flagged(demo, settings):
    cell = siblings()["Chi bộ Sở Giáo dục và Đào tạo"]
    year = Attendance.objects.of_cell(cell).for_year(2020)
    figures = AttendanceFigures.from_row(year.figures())
    assert figures.rate < settings.CHIBO_GOOD_ATTENDANCE_PERCENT
    by_member = year.filter(status="unexcused").values("member").annotate(n=Count("pk"))
    flagged = [row for row in by_member if row["n"] >= settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR]
    assert 2 <= len(flagged) <= 3
    for name, other in siblings().items():
        if name != cell.name:
            rate = AttendanceFigures.from_row(
                Attendance.objects.of_cell(other).for_year(2020).figures()
            ).rate
            assert rate > settings.CHIBO_GOOD_ATTENDANCE_PERCENT, name


def test_the_small_sibling_has_one_group_and_no_chi_uy(demo):
    small = siblings()["Chi bộ Báo Lạng Sơn"]
    assert not small.has_committee
    assert PartyGroup.objects.of_cell(small).count() == 1
    assert all(cell.has_committee for cell in siblings().values() if cell != small)


def test_the_committee_login_sees_the_six_cells(demo, client):
    committee = single_cell().parent
    user = authenticate(HttpRequest(), username=COMMITTEE_LOGIN, password="chibo-demo")
    assert user is not None
    assert list(user.roles.values_list("organisation", "kind")) == [(committee.pk, "committee")]
    client.force_login(user)
    page = client.get("/").content.decode()
    for name in siblings():
        assert name in page
