"""Staged contests: one team per group with score and rank, prizes to members or guests."""

import pytest
from django.urls import reverse

from sessions.models import Award, ContestTeam
from tests.factories import at, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(groups, now):
    session = make_session(start=at(2020, 1, 16, 14), topic="Rung chuông vàng", format="contest")
    record(session)
    return session


def url(session):
    return reverse("sessions:contest", args=[session.pk])


def contest_data(teams, awards):
    data = {
        "teams-TOTAL_FORMS": str(len(teams)),
        "teams-INITIAL_FORMS": "0",
        "teams-MIN_NUM_FORMS": "0",
        "teams-MAX_NUM_FORMS": "1000",
        "awards-TOTAL_FORMS": str(len(awards)),
        "awards-INITIAL_FORMS": "0",
        "awards-MIN_NUM_FORMS": "0",
        "awards-MAX_NUM_FORMS": "1000",
    }
    for prefix, rows in (("teams", teams), ("awards", awards)):
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def test_secretary_records_teams_and_awards_and_the_page_shows_them(
    client, secretary, other_member, contest
):
    client.force_login(secretary)
    response = client.post(
        url(contest),
        contest_data(
            teams=[
                {"name": "Đội Văn phòng", "score": "85", "rank": ""},
                {"name": "Đội Tổ chức", "score": "95", "rank": ""},
            ],
            awards=[
                {"prize": "Giải Nhất cá nhân", "member": other_member.member.pk, "guest_name": ""},
                {"prize": "Giải khán giả", "member": "", "guest_name": "Nguyễn Thị Lan"},
            ],
        ),
    )
    assert response.status_code == 302
    assert dict(ContestTeam.objects.values_list("name", "rank")) == {
        "Đội Tổ chức": 1,
        "Đội Văn phòng": 2,
    }
    page = client.get(contest.get_absolute_url()).text
    assert "Kết quả hội thi" in page
    assert page.index("Đội Tổ chức") < page.index("Đội Văn phòng")
    assert "Giải Nhất cá nhân" in page and "Phùng Thị Hoa" in page
    assert "Nguyễn Thị Lan" in page


def test_an_untouched_group_row_is_not_a_team(client, secretary, contest):
    client.force_login(secretary)
    response = client.get(url(contest))
    assert [name for name, _form in response.context["teams"].rows()] == ["Tổ 1", "Tổ 2"]
    client.post(
        url(contest),
        contest_data(
            teams=[{"name": "Đội Tổ 1", "score": "", "rank": ""}, {"name": "Đội B", "score": "7"}],
            awards=[],
        ),
    )
    assert list(ContestTeam.objects.values_list("name", flat=True)) == ["Đội B"]


@pytest.mark.parametrize(
    ("teams", "awards", "message"),
    [
        ([{"name": "A", "score": "-5"}], [], "Điểm không được âm."),
        ([{"name": "A", "score": "5", "rank": "0"}], [], "Xếp hạng bắt đầu từ 1."),
        ([{"name": "A", "score": "10000.5"}], [], "Điểm tối đa là 10000."),
        ([{"name": "A", "score": "99999999999999999999"}], [], "Điểm tối đa là 10000."),
        ([{"name": "A", "score": "5", "rank": "101"}], [], "Xếp hạng tối đa là 100."),
        (
            [{"name": "A", "score": "5", "rank": "99999999999999999999"}],
            [],
            "Xếp hạng tối đa là 100.",
        ),
        (
            [],
            [{"prize": "Giải Nhì", "member": "", "guest_name": ""}],
            "Chọn đảng viên đạt giải hoặc ghi tên khách mời.",
        ),
        (
            [],
            [{"prize": "Giải Nhì", "member": "MEMBER", "guest_name": "Khách"}],
            "Chọn một đảng viên hoặc ghi tên một khách mời, không cả hai.",
        ),
        ([], [{"prize": "", "member": "MEMBER", "guest_name": ""}], "Trường này là bắt buộc."),
    ],
)
def test_bad_results_are_refused(client, secretary, contest, teams, awards, message):
    for award in awards:
        if award["member"] == "MEMBER":
            award["member"] = secretary.member.pk
    client.force_login(secretary)
    response = client.post(url(contest), contest_data(teams, awards))
    assert response.status_code == 200
    assert message in response.text
    assert "9223372036854775807" not in response.text  # SQLite's range, said in our words
    assert ContestTeam.objects.count() == 0
    assert Award.objects.count() == 0


def test_only_a_contest_has_a_results_page(client, secretary, groups, now):
    session = make_session(start=at(2020, 3, 12), format="presentation")
    client.force_login(secretary)
    assert client.get(url(session)).status_code == 404


def test_leader_cannot_record_results(client, leader, contest):
    client.force_login(leader)
    response = client.post(url(contest), contest_data([{"name": "A", "score": "5"}], []))
    assert response.status_code == 403
    assert ContestTeam.objects.count() == 0


def saved_teams_data(rows):
    """The results form as saved, with ``rows`` ({team: {field: value}}) changed."""
    teams = list(ContestTeam.objects.order_by("pk"))
    data = contest_data(teams=[], awards=[])
    data["teams-TOTAL_FORMS"] = data["teams-INITIAL_FORMS"] = str(len(teams))
    for index, team in enumerate(teams):
        fields = {
            "id": team.pk,
            "group": team.group_id,
            "name": team.name,
            "score": team.score,
            "rank": team.rank if team.rank_by_hand else "",
        }
        fields.update(rows.get(team.name, {}))
        data.update({f"teams-{index}-{key}": value for key, value in fields.items()})
    return data


def test_a_corrected_score_ranks_every_team_again(client, secretary, groups, contest):
    """Ranks not typed by hand follow the scores as they are now, not as they were."""
    client.force_login(secretary)
    client.post(
        url(contest),
        contest_data(
            teams=[
                {"group": groups[0].pk, "name": "A", "score": "90", "rank": ""},
                {"group": groups[1].pk, "name": "B", "score": "80", "rank": ""},
            ],
            awards=[],
        ),
    )
    assert dict(ContestTeam.objects.values_list("name", "rank")) == {"A": 1, "B": 2}
    form = client.get(url(contest)).text
    assert 'name="teams-0-rank" value="1"' not in form  # shown empty: it follows the scores
    response = client.post(url(contest), saved_teams_data({"B": {"score": "95"}}))
    assert response.status_code == 302
    assert dict(ContestTeam.objects.values_list("name", "rank")) == {"A": 2, "B": 1}


def test_a_rank_typed_by_hand_stays(client, secretary, groups, contest):
    """A tie broken by hand is kept when the other team's score changes."""
    client.force_login(secretary)
    client.post(
        url(contest),
        contest_data(
            teams=[
                {"group": groups[0].pk, "name": "A", "score": "90", "rank": "2"},
                {"group": groups[1].pk, "name": "B", "score": "90", "rank": "1"},
            ],
            awards=[],
        ),
    )
    client.post(url(contest), saved_teams_data({"B": {"score": "85", "rank": "1"}}))
    assert dict(ContestTeam.objects.values_list("name", "rank")) == {"A": 2, "B": 1}
    assert ContestTeam.objects.filter(rank_by_hand=True).count() == 2
