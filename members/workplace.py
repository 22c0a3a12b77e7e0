"""Where a login works now: the one place that decides a request's cell and role.

A login holds roles (``Role``) in one or more organisations and works in one
at a time, chosen in the menu and kept in the session. Its workplace is:

- an organisation where it holds a role: that role's permissions apply;
- a cell under a committee node where it holds the committee role: it reads
  that cell as a leader does (the leader's permissions), and changes nothing;
- for a superuser, any organisation (every permission applies anyway).

Without a choice, or with a choice it may no longer make, a login works
where it got its first role. ``WorkplaceMiddleware`` hands the session's
choice to the user; everything else asks ``workplace_of(user)``,
``cell_of(user)`` and ``member_of(user)``. Outside a request (a command, a
test) the login works at its default workplace.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, IntegerField, Value, When
from django.utils.functional import SimpleLazyObject

from chibo.lib.roles import COMMITTEE, LEADER
from members.models import Member, Organisation, Role

SESSION_KEY = "chibo_workplace"


@dataclass
class Workplace:
    """A login's organisation now, the role whose permissions apply there, the roles it holds."""

    user: object = None
    organisation: Organisation | None = None
    kind: str | None = None
    # The role held there, or the committee role above it when an officer reads a cell.
    role: Role | None = None
    roles: list[Role] = field(default_factory=list)

    @property
    def cell(self) -> Organisation | None:
        """The cell whose records the request reads and writes, or None at a committee."""
        if self.organisation is not None and self.organisation.is_cell:
            return self.organisation
        return None

    @property
    def committee(self) -> Organisation | None:
        """The committee node whose pages the request reads, or None in a cell."""
        if self.organisation is not None and not self.organisation.is_cell:
            return self.organisation
        return None

    @property
    def through_committee(self) -> bool:
        """An officer reading a cell under their committee (not a role of the cell)."""
        return (
            self.role is not None
            and self.organisation is not None
            and self.role.organisation_id != self.organisation.pk
        )

    @cached_property
    def member(self) -> Member | None:
        """The login's member record in this cell (None at a committee or without one)."""
        if self.cell is None or self.user is None:
            return None
        member = Member.objects.filter(user=self.user, cell=self.cell).first()
        if member is not None:
            member.user = self.user
        return member

    @property
    def choices(self) -> list[Role]:
        """The roles to switch between in the menu (this one included)."""
        return self.roles


NOWHERE = Workplace()


def roles_of(user) -> list[Role]:
    """The roles ``user`` holds, cells first, in the order they were given."""
    return list(
        Role.objects.filter(user=user)
        .select_related("organisation")
        .order_by(
            Case(
                When(kind=COMMITTEE, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            "pk",
        )
    )


def ancestors(organisation: Organisation) -> list[Organisation]:
    """The committees above ``organisation``, nearest first (one query per level)."""
    found, node = [], organisation
    while node.parent_id is not None:
        node = Organisation.objects.get(pk=node.parent_id)
        found.append(node)
    return found


def resolve(user, roles: list[Role], wanted) -> Workplace:
    """Where ``user``, holding ``roles``, works when asking for organisation ``wanted``."""
    if wanted is not None:
        for role in roles:
            if role.organisation_id == wanted:
                return Workplace(user, role.organisation, role.kind, role, roles)
        committee_roles = {role.organisation_id: role for role in roles if role.kind == COMMITTEE}
        if committee_roles or user.is_superuser:
            organisation = Organisation.objects.filter(pk=wanted).first()
            if organisation is not None:
                if user.is_superuser:
                    return Workplace(user, organisation, None, None, roles)
                for node in ancestors(organisation):
                    if node.pk in committee_roles:
                        kind = LEADER if organisation.is_cell else COMMITTEE
                        return Workplace(user, organisation, kind, committee_roles[node.pk], roles)
    if roles:
        role = roles[0]
        return Workplace(user, role.organisation, role.kind, role, roles)
    if user.is_superuser:
        return Workplace(user, Organisation.objects.cells().order_by("pk").first(), None, None)
    return Workplace(user)


def workplace_of(user) -> Workplace:
    """Where ``user`` works in this request (computed once per request and user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOWHERE
    workplace = getattr(user, "_workplace", None)
    if workplace is None:
        wanted = getattr(user, "workplace_choice", None)
        workplace = resolve(user, roles_of(user), wanted)
        user._workplace = workplace
    return workplace


def may_work_at(user, organisation: Organisation) -> bool:
    """Whether ``user`` may choose ``organisation`` as their workplace."""
    found = resolve(user, roles_of(user), organisation.pk)
    return found.organisation is not None and found.organisation.pk == organisation.pk


def cell_of(user) -> Organisation | None:
    """The cell a request of ``user`` reads and writes, or None (at a committee, no role)."""
    return workplace_of(user).cell


def member_of(user) -> Member | None:
    """The member record of ``user`` in the cell they work in, or None."""
    return workplace_of(user).member


def role_in(user, organisation) -> str | None:
    """The role ``user`` holds in ``organisation`` itself, or None (no open login, no role)."""
    if user is None or not user.is_active or organisation is None:
        return None
    role = Role.objects.filter(user=user, organisation=organisation).first()
    return role.kind if role is not None else None


class WorkplaceMiddleware:
    """Hands the session's choice of workplace to the request's user.

    After the database check (it reads the session and the user) and before
    any view asks for a permission.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.user.workplace_choice = request.session.get(SESSION_KEY)
        return self.get_response(request)


def choose(request, organisation: Organisation) -> None:
    """Work at ``organisation`` from the next request on (``may_work_at`` checked first)."""
    request.session[SESSION_KEY] = organisation.pk
    request.user.workplace_choice = organisation.pk
    for cached in ("_workplace", "_perm_cache"):
        if hasattr(request.user, cached):
            delattr(request.user, cached)


def context(request) -> dict:
    """``workplace`` for every template: the menu shows where the user works."""
    return {"workplace": SimpleLazyObject(lambda: workplace_of(request.user))}
