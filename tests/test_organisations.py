"""Organisations as a tree, and every record of a cell knowing its cell."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from members.forms import GroupForm
from members.models import (
    LoginRecord,
    Organisation,
    PartyGroup,
    PasswordLinkCount,
    Role,
    single_cell,
)
from members.workplace import cell_of
from sessions.forms import PlanForm
from sessions.models import (
    AnnualPlan,
    Award,
    CheckIn,
    ContestTeam,
    CriterionScore,
    Document,
    Photo,
    Postponement,
    ReadConfirmation,
    Reminder,
    ReportText,
    ResolutionTask,
    Speech,
    Submission,
    TaskReview,
)
from tests.factories import (
    make_exemption,
    make_group,
    make_group_meeting,
    make_member,
    make_plan,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

COMMITTEE = Organisation.Kind.COMMITTEE
SUB_COMMITTEE = Organisation.Kind.SUB_COMMITTEE
CELL = Organisation.Kind.CELL


def refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


@pytest.fixture
def tree():
    """Đảng bộ Khối → (the migration's cell, Đảng bộ bộ phận → two cells); a committee apart."""
    root = single_cell().parent
    part = Organisation.objects.create(
        name="Đảng bộ bộ phận Văn phòng", kind=SUB_COMMITTEE, parent=root
    )
    cells = [
        Organisation.objects.create(name=f"Chi bộ {n}", kind=CELL, parent=part) for n in (1, 2)
    ]
    elsewhere = Organisation.objects.create(name="Đảng bộ Khối doanh nghiệp", kind=COMMITTEE)
    return SimpleNamespace(root=root, part=part, cells=cells, elsewhere=elsewhere)


def test_a_database_holds_one_committee_and_one_cell_from_its_migration():
    cell = single_cell()
    assert list(Organisation.objects.cells()) == [cell]
    assert list(Organisation.objects.committees()) == [cell.parent]
    assert cell.parent.parent is None
    assert cell.is_cell and not cell.parent.is_cell


def test_under_a_node_is_the_node_and_everything_below_it(tree):
    assert set(Organisation.objects.under(tree.part)) == {tree.part, *tree.cells}
    assert set(Organisation.objects.under(tree.root)) == {
        tree.root,
        tree.part,
        *tree.cells,
        single_cell(),
    }
    assert set(Organisation.objects.under(tree.root).cells()) == {*tree.cells, single_cell()}
    assert list(Organisation.objects.under(tree.cells[0])) == [tree.cells[0]]
    assert list(Organisation.objects.under(tree.elsewhere)) == [tree.elsewhere]


def test_a_cell_is_never_a_parent(tree):
    child = Organisation(name="Chi bộ con", kind=CELL, parent=tree.cells[0])
    with pytest.raises(ValidationError, match="Chi bộ không có tổ chức đảng trực thuộc"):
        child.full_clean()


def test_a_node_is_not_placed_under_itself(tree):
    tree.root.parent = tree.part
    with pytest.raises(ValidationError, match="không thể trực thuộc chính nó"):
        tree.root.full_clean()


def test_the_database_keeps_the_tree_sound(tree):
    # A cell or a đảng bộ bộ phận always sits under a đảng bộ.
    refused(lambda: Organisation.objects.create(name="Chi bộ mồ côi", kind=CELL))
    refused(lambda: Organisation.objects.create(name="Bộ phận mồ côi", kind=SUB_COMMITTEE))
    refused(lambda: Organisation.objects.create(name="", kind=COMMITTEE))
    refused(lambda: Organisation.objects.create(name="Chi bộ 1", kind=CELL, parent=tree.part))
    # A committee with cells under it, a cell with members, are never deleted.
    with pytest.raises(ProtectedError):
        tree.part.delete()
    make_member(cell=tree.cells[0], group=make_group(cell=tree.cells[0]))
    with pytest.raises(ProtectedError):
        tree.cells[0].delete()


# --- Every record says its cell, or reaches it --------------------------------


# Records of a login, not of a cell: one person may hold roles in two cells.
NOT_OF_A_CELL = {Organisation, LoginRecord, PasswordLinkCount}


def cell_models():
    """Every model of members/ and sessions/ (their histories too) but the tree itself
    and the records of logins."""
    for label in ("members", "thematic"):
        for model in apps.get_app_config(label).get_models():
            base = getattr(model, "instance_type", model)  # a historical model: its model's path
            if base not in NOT_OF_A_CELL:
                yield model, base


def test_every_model_says_how_it_reaches_its_cell():
    missing = [model.__name__ for model, base in cell_models() if not hasattr(base, "CELL_PATH")]
    assert missing == []


def test_every_path_reaches_the_cell_of_every_row(tree, groups, secretary):
    """Each model's rows are found through its CELL_PATH: all in their cell, none in another."""
    member = secretary.member
    make_exemption(member, dt.date(2020, 1, 2), dt.date(2020, 1, 31))
    session = make_session(format="contest")
    make_group_meeting(session, groups[0], session.start)
    record(session)
    session.attendances.first().save()  # record() writes no history
    Postponement.objects.create(
        session=session, previous_start=session.start, new_start=session.start, reason="Mưa bão"
    )
    Document.objects.create(session=session, title="Đề dẫn", url="https://example.org/de-dan")
    Photo.objects.create(session=session, image="photos/a.jpg", caption="Ảnh")
    ContestTeam.objects.create(session=session, group=groups[0], score=10, rank=1)
    Award.objects.create(session=session, member=member, prize="Giải Nhất")
    Speech.objects.create(session=session, member=member, content="Tán thành đề dẫn.")
    CriterionScore.objects.create(session=session, criterion="conduct", points=40)
    Reminder.objects.create(
        kind=Reminder.Kind.ATTENDANCE, session=session, user=secretary, email="a@example.org"
    )
    Submission.objects.create(
        cell=single_cell(),
        kind="plan",
        year=2020,
        dated_on=dt.date(2020, 1, 13),
        typed_by_hand=True,
    )
    ReportText.objects.create(cell=single_cell(), year=2020, strengths="Đủ kỳ theo kế hoạch.")
    task = ResolutionTask.objects.create(
        session=session, content="Nộp đảng phí", responsible=member, due_on=dt.date(2020, 4, 30)
    )
    TaskReview.objects.create(task=task, session=session, outcome=TaskReview.Outcome.DONE)
    CheckIn.objects.create(session=session, member=member, at=session.start)
    ReadConfirmation.objects.create(session=session, member=member, at=session.start)
    for model, base in cell_models():
        rows = model._default_manager.all()
        assert rows.exists(), model.__name__
        in_cell = rows.filter(**{base.CELL_PATH: single_cell()})
        assert in_cell.count() == rows.count(), model.__name__
        assert not rows.filter(**{base.CELL_PATH: tree.cells[0]}).exists(), model.__name__


# --- Unique in a cell, not across cells ---------------------------------------------


def test_two_cells_may_have_a_group_of_the_same_name_and_a_plan_of_the_same_year(tree):
    for cell in tree.cells:
        make_group("Tổ 1", cell=cell)
        make_plan(2020, cell=cell)
    assert PartyGroup.objects.filter(name="Tổ 1").count() == 2
    assert AnnualPlan.objects.filter(year=2020).count() == 2
    refused(lambda: make_group("Tổ 1", cell=tree.cells[0]))
    refused(lambda: AnnualPlan.objects.create(cell=tree.cells[0], year=2020, title="Lần hai"))


def test_the_forms_tell_a_name_or_a_year_taken_in_the_cell(tree):
    make_group("Tổ 1", cell=tree.cells[0])
    make_plan(2020, cell=tree.cells[0])
    form = GroupForm({"name": "Tổ 1"}, cell=tree.cells[0])
    assert form.errors == {"name": ["Đã có tổ Đảng tên này."]}
    assert GroupForm({"name": "Tổ 1"}, cell=tree.cells[1]).is_valid()
    plan = {"year": "2020", "title": "", "status": "draft"}
    assert PlanForm(plan, cell=tree.cells[0]).errors == {
        "year": ["Chi bộ đã có kế hoạch của năm này."]
    }
    assert PlanForm(plan, cell=tree.cells[1]).is_valid()


# --- The cell of a request ------------------------------------------------------


def test_the_cell_of_a_user_is_where_they_hold_their_role(tree, member):
    assert cell_of(member) == single_cell()
    Role.objects.filter(user=member).update(organisation=tree.cells[1])
    member = User.objects.get(pk=member.pk)
    assert cell_of(member) == tree.cells[1]


def test_an_account_without_a_member_works_in_the_only_cell():
    admin = User.objects.create_superuser("quan-tri", password=None)
    assert cell_of(admin) == single_cell()


def test_plan_pages_read_the_plan_of_their_own_cell(client, tree, secretary, now):
    """A year is unique only within a cell: the plan pages find the user's cell's plan."""
    own = make_plan(2020)
    other = AnnualPlan.objects.create(cell=tree.cells[0], year=2020, title="Kế hoạch của chi bộ 1")
    AnnualPlan.objects.create(cell=tree.cells[0], year=2021, title="Kế hoạch 2021 của chi bộ 1")
    client.force_login(secretary)
    page = client.get(reverse("sessions:plan", args=[2020])).text
    assert own.title in page and other.title not in page
    assert client.get(reverse("sessions:plan", args=[2021])).status_code == 404
    listing = client.get(reverse("sessions:plans")).text
    assert own.title in listing and "chi bộ 1" not in listing
    # The next free year of the user's cell, not of every cell.
    assert 'value="2021"' in client.get(reverse("sessions:plan_create")).text
