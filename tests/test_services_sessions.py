"""Session services on their own: copying a plan, postponing, deleting, contests."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from sessions import services
from sessions.models import (
    AnnualPlan,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Photo,
    Postponement,
    ThematicSession,
)
from tests.factories import at, make_group, make_group_meeting, make_member, make_plan, make_session

pytestmark = pytest.mark.django_db


def test_one_year_later_keeps_the_local_day_and_time():
    assert services.one_year_later(at(2020, 3, 12, 8)) == at(2021, 3, 12, 8)
    assert services.one_year_later(at(2020, 2, 29, 14)) == at(2021, 2, 28, 14)
    assert services.one_year_later(at(2020, 12, 31, 23, 30)) == at(2021, 12, 31, 23, 30)


def test_copy_plan_drops_members_who_left_and_archived_groups(groups):
    gone = make_member(groups[0], "Lộc Văn Bình")
    staying = make_member(groups[1], "Hoàng Thị Nga")
    source = make_plan(2020)
    session = make_session(
        source, at(2020, 5, 14), scope="groups", presiding=gone, minute_taker=staying
    )
    archived = make_group("Tổ đã giải thể", is_active=False)
    make_group_meeting(session, groups[0], at(2020, 5, 12), presiding=gone)
    make_group_meeting(session, archived, at(2020, 5, 13))
    gone.left_cell_on, gone.left_reason = dt.date(2020, 9, 1), "transfer"
    gone.save()

    target = services.copy_plan(source=source, year=2021)
    copy = target.sessions.get()
    assert (copy.presiding, copy.minute_taker) == (None, staying)
    meeting = GroupMeeting.objects.get(session=copy)
    assert (meeting.group, meeting.presiding, meeting.start) == (groups[0], None, at(2021, 5, 12))
    assert meeting.history.count() == 1


def test_copy_plan_fills_an_empty_plan_of_that_year(groups):
    make_session(make_plan(2020), at(2020, 3, 12), topic="A")
    existing = make_plan(2021, title="Kế hoạch đã lập", notes="giữ nguyên")
    target = services.copy_plan(source=make_plan(2020), year=2021)
    assert target == existing
    target.refresh_from_db()
    assert (target.title, target.notes) == ("Kế hoạch đã lập", "giữ nguyên")
    assert list(target.sessions.values_list("topic", flat=True)) == ["A"]


def test_copy_plan_refuses_a_plan_with_sessions(groups):
    make_session(make_plan(2020), at(2020, 3, 12))
    make_session(make_plan(2021), at(2021, 3, 12))
    with pytest.raises(services.ServiceError):
        services.copy_plan(source=make_plan(2020), year=2021)
    assert ThematicSession.objects.filter(plan__year=2021).count() == 1


def test_postpone_session_records_the_move(groups):
    session = make_session(make_plan(2020), at(2020, 10, 15))
    services.postpone_session(
        session=session, start=at(2020, 12, 3), end=at(2020, 12, 3, 10), reason="Đại hội"
    )
    postponement = Postponement.objects.get()
    assert (postponement.previous_start, postponement.new_start) == (
        at(2020, 10, 15),
        at(2020, 12, 3),
    )
    session.refresh_from_db()
    assert (session.status, session.start) == ("postponed", at(2020, 12, 3))


def test_delete_session_removes_its_files_after_commit(
    groups, settings, django_capture_on_commit_callbacks
):
    session = make_session(make_plan(2020), at(2020, 10, 15))
    document = Document(session=session, title="Đề dẫn", kind="draft")
    document.file.save("de-dan.txt", ContentFile(b"noi dung"), save=True)
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_session(session=session)
    assert not ThematicSession.objects.exists()
    assert not Document.objects.exists()
    assert not Path(path).exists()


def test_a_session_with_contest_results_is_not_deleted(groups):
    session = make_session(make_plan(2020), at(2020, 10, 15), format="contest")
    ContestTeam.objects.create(session=session, group=groups[0], score=10)
    assert "hội thi" in services.delete_reason(session)
    with pytest.raises(services.ServiceError):
        services.delete_session(session=session)


def test_save_contest_ranks_teams_by_score_with_ties(groups):
    third = make_group("Tổ 3")
    session = make_session(make_plan(2020), at(2020, 1, 16), format="contest")
    teams = [
        ContestTeam(group=groups[0], score=80),
        ContestTeam(group=groups[1], score=95),
        ContestTeam(group=third, score=80),
    ]
    winner = make_member(groups[1], "Chu Thị Hằng")
    awards = [
        Award(prize="Giải Nhất", member=winner),
        Award(prize="Giải khán giả", guest_name="Nguyễn Thị Lan (quần chúng)"),
    ]
    services.save_contest(
        session=session, teams=teams, removed_teams=[], awards=awards, removed_awards=[]
    )
    ranks = dict(ContestTeam.objects.values_list("group__name", "rank"))
    assert ranks == {"Tổ 2": 1, "Tổ 1": 2, "Tổ 3": 2}
    assert list(Award.objects.values_list("prize", "order")) == [
        ("Giải Nhất", 0),
        ("Giải khán giả", 1),
    ]


# --- Rules that were in the views ------------------------------------------------


def test_first_free_year_skips_the_years_that_have_a_plan(db):
    """A new plan is offered for this year, or the first year after it with no plan."""
    assert AnnualPlan.objects.first_free_year(2020) == 2020
    make_plan(2019)
    make_plan(2020)
    make_plan(2021)
    make_plan(2023)
    assert AnnualPlan.objects.first_free_year(2020) == 2022
    assert AnnualPlan.objects.first_free_year(2023) == 2024
    assert AnnualPlan.objects.first_free_year(2018) == 2018


@pytest.mark.parametrize("status", ["held", "cancelled"])
def test_a_held_or_cancelled_session_is_neither_postponed_nor_cancelled(groups, status):
    session = make_session(make_plan(2020), at(2020, 3, 12), status=status)
    assert services.postpone_refusal(session) == (
        "Chỉ hoãn được kỳ sinh hoạt chưa tổ chức và chưa bị hủy."
    )
    assert services.cancel_refusal(session) == "Chỉ hủy được kỳ sinh hoạt chưa tổ chức."
    with pytest.raises(services.ServiceError, match="Chỉ hoãn được"):
        services.postpone_session(
            session=session, start=at(2020, 4, 2), end=at(2020, 4, 2, 10), reason="Bận"
        )
    with pytest.raises(services.ServiceError, match="Chỉ hủy được"):
        services.cancel_session(session=session, reason="Bận")
    session.refresh_from_db()
    assert (session.status, session.start, session.status_reason) == (
        status,
        at(2020, 3, 12),
        "",
    )
    assert not Postponement.objects.exists()


@pytest.mark.parametrize("status", ["planned", "postponed"])
def test_a_planned_or_postponed_session_may_be_postponed_or_cancelled(groups, status):
    session = make_session(make_plan(2020), at(2020, 3, 12), status=status)
    assert services.postpone_refusal(session) is None
    assert services.cancel_refusal(session) is None
    services.cancel_session(session=session, reason="Trùng đại hội")
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "Trùng đại hội")


@pytest.mark.parametrize(
    ("lead_days", "sent", "late"),
    [
        (1, at(2020, 3, 11, 23, 30), False),  # the evening before, in Hà Nội
        (1, at(2020, 3, 12, 6, 0), True),  # the morning of the session
        (1, at(2020, 3, 1), False),
        (3, at(2020, 3, 10, 7, 0), True),  # two days ahead when three are asked
        (3, at(2020, 3, 9, 20, 0), False),
    ],
)
def test_a_draft_must_reach_members_the_set_number_of_days_ahead(
    groups, settings, lead_days, sent, late
):
    settings.CHIBO_DRAFT_LEAD_DAYS = lead_days
    session = make_session(make_plan(2020), at(2020, 3, 12, 8))
    assert services.record_draft_sent(session=session, sent_at=sent) is late
    session.refresh_from_db()
    assert session.draft_sent_at == sent
    assert services.draft_sent_late(session) is late


def test_a_draft_not_sent_yet_is_not_late(groups):
    session = make_session(make_plan(2020), at(2020, 3, 12, 8), draft_sent_at=at(2020, 3, 12))
    assert services.record_draft_sent(session=session, sent_at=None) is False
    session.refresh_from_db()
    assert session.draft_sent_at is None


def test_save_contest_skips_blank_award_lines_and_numbers_the_others(groups):
    """The form's spare lines are new awards with nothing typed: they are not saved."""
    session = make_session(make_plan(2020), at(2020, 1, 16), format="contest")
    winner = make_member(groups[0], "Chu Thị Hằng")
    kept = Award.objects.create(session=session, prize="Giải Nhì", member=winner, order=3)
    awards = [
        Award(),
        kept,
        Award(prize="Giải Ba", guest_name="Lò Văn Pọm"),
        Award(session=session),
    ]
    assert [services.is_blank_award(award) for award in awards] == [True, False, False, True]
    services.save_contest(
        session=session, teams=[], removed_teams=[], awards=awards, removed_awards=[]
    )
    assert list(Award.objects.values_list("prize", "order")) == [("Giải Nhì", 0), ("Giải Ba", 1)]


# --- Files go after the commit ---------------------------------------------------


def stored_document(session):
    document = Document(session=session, title="Đề dẫn", kind="draft")
    document.file.save("de-dan.txt", ContentFile(b"noi dung"), save=True)
    return document


def test_delete_document_removes_its_file_only_once_committed(
    groups, settings, django_capture_on_commit_callbacks
):
    session = make_session(make_plan(2020), at(2020, 10, 15))
    document = stored_document(session)
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_document(document=document)
    assert not Document.objects.exists()
    assert path.exists()  # the transaction could still roll back
    assert len(callbacks) == 1
    callbacks[0]()
    assert not path.exists()


def test_a_rolled_back_deletion_keeps_the_files(
    groups, settings, django_capture_on_commit_callbacks
):
    session = make_session(make_plan(2020), at(2020, 10, 15))
    document = stored_document(session)
    photo = Photo.objects.create(session=session, image="photos/2020/a.jpg")
    path = Path(document.file.path)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.delete_document(document=document)
        services.delete_photo(photo=photo)
        raise RuntimeError
    assert callbacks == []
    assert path.exists()
    assert Document.objects.count() == Photo.objects.count() == 1


def test_add_document_and_caption_photo_write_what_the_page_sent(groups, secretary):
    session = make_session(make_plan(2020), at(2020, 10, 15))
    document = services.add_document(
        document=Document(session=session, title="Chỉ thị 05", url="https://example.org"),
        user=secretary,
    )
    assert Document.objects.get().uploaded_by == secretary == document.uploaded_by
    photo = Photo.objects.create(session=session, image="photos/2020/a.jpg", caption="Cũ")
    services.caption_photo(photo=photo, caption="Toàn cảnh")
    photo.refresh_from_db()
    assert photo.caption == "Toàn cảnh"


def test_a_document_whose_row_fails_leaves_no_file(groups, settings, monkeypatch):
    """The file is stored while the row is saved: if the row fails, the file goes too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = make_session(make_plan(2020), at(2020, 10, 15))
    document = Document(
        session=session,
        title="Đề dẫn",
        kind="draft",
        file=SimpleUploadedFile("de-dan.txt", b"noi dung"),
    )
    save = Document.save

    def save_then_fail(self, *args, **kwargs):
        save(self, *args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Document, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        services.add_document(document=document)
    assert not Document.objects.exists()
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == []
