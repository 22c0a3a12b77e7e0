import secrets
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.lib.cells import CellQuerySet
from chibo.lib.dates import PARTY_FOUNDED, add_months, days_reaching
from chibo.lib.roles import COMMITTEE, LEADER, MEMBER, SECRETARY
from chibo.lib.text import vietnamese_sort_key

# The names the migration gives the committee and the cell when the settings are empty.
DEFAULT_COMMITTEE_NAME = "Đảng bộ"
DEFAULT_CELL_NAME = "Chi bộ"


def new_version() -> int:
    """A data version never seen before (members/versions.py): random, not a count,
    so that a rolled-back write or a restored backup cannot bring back a number
    whose cached parts were rendered from other data."""
    return secrets.randbits(62)


class OrganisationQuerySet(models.QuerySet):
    def cells(self):
        """The cells (chi bộ): the leaves, where members, groups and plans live."""
        return self.filter(kind=Organisation.Kind.CELL)

    def committees(self):
        """The nodes above the cells (đảng bộ, đảng bộ bộ phận)."""
        return self.exclude(kind=Organisation.Kind.CELL)

    def under(self, node):
        """``node`` and every organisation below it, at any depth.

        One query per level: the tree is shallow (đảng bộ → đảng bộ bộ phận →
        chi bộ), so a loop is simpler than a recursive query and as fast.
        """
        found, level = {node.pk}, {node.pk}
        while level:
            level = (
                set(Organisation.objects.filter(parent__in=level).values_list("pk", flat=True))
                - found
            )
            found |= level
        return self.filter(pk__in=found)

    def in_tree_of(self, node):
        """Every organisation of ``node``'s Chibo: the tree under its root committee.

        One query per level up, then one per level down (``under``).
        """
        root = node
        while root.parent_id is not None:
            root = Organisation.objects.get(pk=root.parent_id)
        return self.under(root)


class Organisation(models.Model):
    """A party organisation: a committee node (đảng bộ…) or a cell (chi bộ), in a tree.

    A Chibo for one cell is a tree of one committee and one cell. A cell's
    profile (its name, its superior committee's name as written on documents,
    chi ủy or not, place name, number symbol) is data its secretary edits.
    Every other model of members/ and sessions/ belongs to a cell, and says
    how it reaches it in ``CELL_PATH`` (the lookup a query scoped to a cell
    filters on: ``"cell"``, ``"member__cell"``, ``"session__plan__cell"``).
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Đảng bộ")
        SUB_COMMITTEE = "sub_committee", _("Đảng bộ bộ phận")
        CELL = "cell", _("Chi bộ")

    name = models.CharField(
        _("tên đầy đủ"),
        max_length=255,
        help_text=_("Như ghi trên văn bản, ví dụ “Chi bộ Cơ quan Liên đoàn Lao động tỉnh”."),
    )
    kind = models.CharField(_("loại tổ chức"), max_length=20, choices=Kind, default=Kind.CELL)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The cell's profile: what its documents print. Empty on committee nodes.
    superior_name = models.CharField(
        _("tên cấp ủy cấp trên"),
        max_length=255,
        blank=True,
        help_text=_("Như ghi ở đầu văn bản, ví dụ “Đảng bộ Khối các cơ quan tỉnh”."),
    )
    has_committee = models.BooleanField(
        _("chi bộ có chi ủy"),
        default=True,
        help_text=_("Văn bản ký “T/M CHI ỦY” khi chi bộ có chi ủy, “T/M CHI BỘ” khi không."),
    )
    # Renewed by every write to the cell's data, in the write's transaction, and
    # by every write to a cell under a committee: the key of the rendered parts
    # cached for it (members/versions.py). The database's own default is for rows
    # written by migrations, whose models of an earlier state lack the field.
    data_version = models.PositiveBigIntegerField(
        _("phiên bản dữ liệu"), default=new_version, db_default=0, editable=False
    )
    place_name = models.CharField(
        _("địa danh"),
        max_length=100,
        blank=True,
        help_text=_("Ghi ở dòng ngày tháng của văn bản, ví dụ “Lạng Sơn”."),
    )
    number_prefix = models.CharField(
        _("ký hiệu trên số văn bản"),
        max_length=20,
        blank=True,
        help_text=_("Phần ký hiệu của chi bộ trong số và ký hiệu văn bản, ví dụ “CB”."),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["data_version"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        permissions = [("view_rollup", _("Xem số liệu tổng hợp các chi bộ trực thuộc"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="organisation_has_name",
                violation_error_message=_("Cần ghi tên tổ chức đảng."),
            ),
            # The root of the tree is a đảng bộ; a chi bộ or a đảng bộ bộ phận
            # always sits under one.
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="committee"),
                name="organisation_root_is_a_committee",
                violation_error_message=_("Chi bộ, đảng bộ bộ phận phải trực thuộc một đảng bộ."),
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="organisation_name_unique_under_parent",
                violation_error_message=_("Đã có tổ chức đảng tên này ở cùng cấp."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Never write back the data version read with the row: a write since then
        raised it, and writing the old number would bring stale cached parts back."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_version"
            ]
        super().save(*args, **kwargs)

    def clean(self):
        """A parent is a committee node (a chi bộ has no organisation under it), never itself.

        The database cannot look at the parent's row; a cycle is refused here too.
        """
        if self.parent_id is None:
            return
        if self.parent.kind == self.Kind.CELL:
            raise ValidationError({"parent": _("Chi bộ không có tổ chức đảng trực thuộc.")})
        if self.pk is not None and self.parent in Organisation.objects.under(self):
            raise ValidationError({"parent": _("Một tổ chức không thể trực thuộc chính nó.")})

    @property
    def is_cell(self) -> bool:
        return self.kind == self.Kind.CELL


class PartyGroupQuerySet(CellQuerySet):
    pass


class PartyGroup(models.Model):
    """A party group (tổ Đảng): the cell's members meet in a few of them."""

    CELL_PATH = "cell"

    cell = models.ForeignKey(
        Organisation,
        verbose_name=_("chi bộ"),
        on_delete=models.PROTECT,
        related_name="party_groups",
    )
    name = models.CharField(_("tên tổ"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    leader = models.ForeignKey(
        "Member",
        verbose_name=_("tổ trưởng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A group that is dissolved is archived, never deleted: past attendance
    # rows still name it.
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = PartyGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tổ Đảng")
        verbose_name_plural = _("tổ Đảng")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "name"],
                name="group_name_unique_in_cell",
                violation_error_message=_("Đã có tổ Đảng tên này."),
            ),
        ]

    def __str__(self):
        return self.name


def new_calendar_token():
    return secrets.token_urlsafe(32)


class MemberQuerySet(CellQuerySet):
    def regular(self):
        """Members of this cell, not those attending temporarily from another."""
        return self.filter(temporary=False)

    def current(self):
        """Members who have not left the cell."""
        return self.filter(left_cell_on__isnull=True)

    def in_cell_on(self, day):
        """Members of the cell on ``day``: joined by then and not yet left."""
        return self.regular().filter(
            Q(joined_cell_on__lte=day),
            Q(left_cell_on__isnull=True) | Q(left_cell_on__gt=day),
        )

    def with_standing_on(self, day):
        """Annotate ``standing_then``: each member's standing on ``day``.

        The same rule as ``Member.standing_on``, in the database, for lists.
        """
        return self.annotate(
            standing_then=Case(
                When(full_member_on__gt=day, then=Value(Member.Standing.PROBATIONARY)),
                When(full_member_on__lte=day, then=Value(Member.Standing.FULL)),
                default=F("standing"),
            )
        )

    def probation_ending(self, today):
        """Current probationary members whose probation ends within the notice days.

        Their twelve months (``CHIBO_PROBATION_MONTHS``) end between ``today``
        and ``today`` + ``CHIBO_PROBATION_NOTICE_DAYS``, so the cell can
        prepare the vote to make them full; ``Member.probation_ends_on`` says
        the day. In the order of that day.
        """
        last = today + timedelta(days=settings.CHIBO_PROBATION_NOTICE_DAYS)
        first_joined, last_joined = days_reaching(today, last, settings.CHIBO_PROBATION_MONTHS)
        return (
            self.regular()
            .current()
            .filter(
                standing=Member.Standing.PROBATIONARY,
                full_member_on__isnull=True,
                joined_party_on__isnull=False,
                joined_party_on__range=(first_joined, last_joined),
            )
            .order_by("joined_party_on", "sort_name", "pk")
        )

    def expected_on(self, day):
        """Members expected at a thematic session held on ``day``.

        Full and probationary members who had joined the cell and not left it by
        that day and were not exempt on it. Members attending temporarily from
        another cell are recorded apart and never expected.
        """
        return self.in_cell_on(day).exclude(
            Exists(Exemption.objects.covering(day).filter(member=OuterRef("pk")))
        )


def member_date_errors(
    *, joined_party_on=None, joined_cell_on=None, left_cell_on=None, full_member_on=None
) -> dict:
    """What is wrong with a member's dates, by field (Vietnamese messages); empty if nothing.

    No date of a member's life in the Party is before its founding. Joining the
    Party and leaving the cell are recorded once they have happened, so neither
    is after today (in the cell's time zone): a departure recorded ahead would
    close the member's login at once. The cell is joined on or after the day of
    joining the Party, and left on or after the day of joining the cell; this
    last pair is told on both fields, because the edit form changes only the
    one and the leave form only the other. Shared by the member forms and the
    member import, which keep the messages of the fields they have.

    The day a member was made full (chuyển chính thức) has happened, and comes
    no sooner than the twelve months of probation after the day admitted
    (Điều lệ Đảng, Điều 5: thời kỳ dự bị mười hai tháng;
    ``CHIBO_PROBATION_MONTHS``): an earlier day is a typing error, refused.
    """
    today = timezone.localdate()
    founded = {"day": PARTY_FOUNDED.strftime("%d/%m/%Y")}
    errors = {}
    party_ok = False
    if joined_party_on:
        if joined_party_on < PARTY_FOUNDED:
            errors["joined_party_on"] = (
                _("Ngày vào Đảng không thể trước ngày thành lập Đảng (%(day)s).") % founded
            )
        elif joined_party_on > today:
            errors["joined_party_on"] = _("Ngày vào Đảng không thể ở tương lai.")
        else:
            party_ok = True
    if joined_cell_on:
        if joined_cell_on < PARTY_FOUNDED:
            errors["joined_cell_on"] = (
                _("Ngày về chi bộ không thể trước ngày thành lập Đảng (%(day)s).") % founded
            )
        elif party_ok and joined_cell_on < joined_party_on:
            errors["joined_cell_on"] = _(
                "Ngày về chi bộ không thể trước ngày vào Đảng (%(day)s)."
            ) % {"day": joined_party_on.strftime("%d/%m/%Y")}
    if left_cell_on:
        if left_cell_on > today:
            errors["left_cell_on"] = _(
                "Ngày thôi sinh hoạt không thể ở tương lai: chỉ ghi khi đồng chí đã thôi "
                "sinh hoạt tại chi bộ."
            )
        elif joined_cell_on and left_cell_on < joined_cell_on:
            errors["left_cell_on"] = _("Ngày thôi sinh hoạt phải sau ngày về chi bộ (%(day)s).") % {
                "day": joined_cell_on.strftime("%d/%m/%Y")
            }
        if joined_cell_on and joined_cell_on > left_cell_on and "joined_cell_on" not in errors:
            errors["joined_cell_on"] = _("Ngày về chi bộ phải trước ngày thôi sinh hoạt.")
    if full_member_on:
        months = settings.CHIBO_PROBATION_MONTHS
        if full_member_on > today:
            errors["full_member_on"] = _("Ngày chuyển chính thức không thể ở tương lai.")
        elif full_member_on < PARTY_FOUNDED:
            errors["full_member_on"] = (
                _("Ngày chuyển chính thức không thể trước ngày thành lập Đảng (%(day)s).") % founded
            )
        elif party_ok and full_member_on < joined_party_on:
            errors["full_member_on"] = _(
                "Ngày chuyển chính thức không thể trước ngày vào Đảng (%(day)s)."
            ) % {"day": joined_party_on.strftime("%d/%m/%Y")}
        elif party_ok and full_member_on < add_months(joined_party_on, months):
            errors["full_member_on"] = _(
                "Thời kỳ dự bị là %(months)s tháng: ngày chuyển chính thức sớm nhất là %(day)s."
            ) % {
                "months": months,
                "day": add_months(joined_party_on, months).strftime("%d/%m/%Y"),
            }
    return errors


class Member(models.Model):
    """A party member (đảng viên) of the cell, kept with all history after leaving."""

    class Standing(models.TextChoices):
        FULL = "full", _("Chính thức")
        PROBATIONARY = "probationary", _("Dự bị")

    class Position(models.TextChoices):
        SECRETARY = "secretary", _("Bí thư")
        DEPUTY_SECRETARY = "deputy_secretary", _("Phó bí thư")
        COMMITTEE = "committee", _("Chi ủy viên")
        MEMBER = "member", _("Đảng viên")

    class LeaveReason(models.TextChoices):
        TRANSFER = "transfer", _("Chuyển sinh hoạt")
        RETIREMENT = "retirement", _("Nghỉ hưu, chuyển về nơi cư trú")
        STRUCK_OFF = "struck_off", _("Xóa tên")
        EXPELLED = "expelled", _("Khai trừ")
        DECEASED = "deceased", _("Từ trần")
        OTHER = "other", _("Lý do khác")

    CELL_PATH = "cell"

    cell = models.ForeignKey(
        Organisation, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    # Vietnamese lists sort by given name (the last word), then the rest.
    sort_name = models.CharField(max_length=300, editable=False, db_index=True)
    # One login per person: a member who moved to another cell of this Chibo
    # has a record in each, both linked to the same login (at most one per cell).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("tổ Đảng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    standing = models.CharField(
        _("loại đảng viên"), max_length=20, choices=Standing, default=Standing.FULL
    )
    position = models.CharField(
        _("chức vụ trong chi bộ"), max_length=20, choices=Position, default=Position.MEMBER
    )
    joined_party_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    # The day admitted is joined_party_on (probationary from then); this is the
    # day made full. Empty for a member still probationary, or made full on a
    # day nobody recorded (``standing`` then says which).
    full_member_on = models.DateField(_("ngày chuyển chính thức"), null=True, blank=True)
    joined_cell_on = models.DateField(_("ngày về sinh hoạt tại chi bộ"))
    left_cell_on = models.DateField(_("ngày thôi sinh hoạt tại chi bộ"), null=True, blank=True)
    left_reason = models.CharField(
        _("lý do thôi sinh hoạt"), max_length=20, choices=LeaveReason, blank=True
    )
    left_note = models.CharField(_("ghi chú khi thôi sinh hoạt"), max_length=255, blank=True)
    # Sinh hoạt tạm thời: attends here while belonging to another cell; recorded
    # at sessions but never counted in this cell's rates.
    temporary = models.BooleanField(_("sinh hoạt tạm thời"), default=False)
    home_cell = models.CharField(
        _("chi bộ chính thức (nếu sinh hoạt tạm thời)"), max_length=200, blank=True
    )
    # A temporary stay sent by a cell of this Chibo (``services.send_temporarily``):
    # the member's record in the cell that sent them. Internal: the host's pages
    # show ``home_cell`` (the sender's name), never this record nor anything of it.
    home_member = models.ForeignKey(
        "self",
        verbose_name=_("hồ sơ ở chi bộ chính thức"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="stays",
    )
    phone = models.CharField(_("số điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    calendar_token = models.CharField(
        _("mã lịch riêng"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["calendar_token", "sort_name", "home_member"])

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_cell_on__isnull=True)
                | Q(left_cell_on__gte=models.F("joined_cell_on")),
                name="member_leaves_after_joining",
                violation_error_message=_("Ngày thôi sinh hoạt phải sau ngày về chi bộ."),
            ),
            models.CheckConstraint(
                condition=Q(temporary=True) | Q(group__isnull=False),
                name="member_in_a_group",
                violation_error_message=_("Đảng viên của chi bộ phải thuộc một tổ Đảng."),
            ),
            models.CheckConstraint(
                condition=(Q(left_cell_on__isnull=True) & Q(left_reason=""))
                | (Q(left_cell_on__isnull=False) & ~Q(left_reason="")),
                name="member_leave_has_date_and_reason",
                violation_error_message=_("Khi thôi sinh hoạt cần ghi cả ngày và lý do."),
            ),
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(standing="full"),
                name="member_full_date_only_when_full",
                violation_error_message=_("Đảng viên đã có ngày chuyển chính thức là chính thức."),
            ),
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True)
                | Q(joined_party_on__isnull=True)
                | Q(full_member_on__gte=models.F("joined_party_on")),
                name="member_full_after_admitted",
                violation_error_message=_("Ngày chuyển chính thức phải sau ngày vào Đảng."),
            ),
            models.UniqueConstraint(
                fields=["user", "cell"],
                name="member_one_login_per_cell",
                violation_error_message=_("Tài khoản này đã gắn với một đảng viên của chi bộ."),
            ),
            models.CheckConstraint(
                condition=Q(home_member__isnull=True) | Q(temporary=True),
                name="member_home_only_when_temporary",
                violation_error_message=_("Chỉ đảng viên sinh hoạt tạm thời có chi bộ chính thức."),
            ),
            models.UniqueConstraint(
                fields=["home_member", "cell"],
                condition=Q(left_cell_on__isnull=True),
                name="member_one_open_stay_per_cell",
                violation_error_message=_(
                    "Đồng chí này đang sinh hoạt tạm thời tại chi bộ đó rồi."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.sort_name = vietnamese_sort_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def clean(self):
        """The member's group is a group of the member's cell.

        The database cannot check it: a check constraint sees one row, and a
        composite foreign key (group, cell) is not expressible in Django
        without a trigger. The forms offer only the cell's groups; this is
        the guard behind them, for every form and full_clean().
        """
        super().clean()
        if self.group_id and self.cell_id and self.group.cell_id != self.cell_id:
            raise ValidationError(
                {"group": forms.ModelChoiceField.default_error_messages["invalid_choice"]}
            )

    @property
    def has_left(self):
        return self.left_cell_on is not None

    def is_expected_on(self, day: date) -> bool:
        return Member.objects.expected_on(day).filter(pk=self.pk).exists()

    def standing_on(self, day) -> str:
        """The member's standing (``Standing``) on ``day``: the one rule of standing over time.

        Probationary from the day admitted (``joined_party_on``) until the day
        made full (``full_member_on``), full from then. Without a day made full,
        the stored ``standing``: still probationary, or full since a day nobody
        recorded (no date is invented). ``MemberQuerySet.with_standing_on`` is
        the same rule in the database.
        """
        if self.full_member_on is not None:
            return self.Standing.FULL if day >= self.full_member_on else self.Standing.PROBATIONARY
        return self.standing

    def standing_in_year(self, year: int) -> str:
        """The standing a page of ``year`` shows: on the year's last day, or on
        the day the member left the cell if that came first."""
        day = date(year, 12, 31)
        if self.left_cell_on is not None and self.left_cell_on < day:
            day = self.left_cell_on
        return self.standing_on(day)

    def standing_label_on(self, day) -> str:
        """The label of ``standing_on(day)`` ("Chính thức", "Dự bị")."""
        return self.Standing(self.standing_on(day)).label

    @property
    def probation_ends_on(self):
        """The day the twelve months of probation end, for a probationary member; else None."""
        if self.standing != self.Standing.PROBATIONARY or self.joined_party_on is None:
            return None
        return add_months(self.joined_party_on, settings.CHIBO_PROBATION_MONTHS)


class ExemptionQuerySet(CellQuerySet):
    def covering(self, day):
        """Exemptions in force on ``day`` (an open end means still in force)."""
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Exemption(models.Model):
    """A period in which a member is exempt (miễn) or temporarily exempt (tạm miễn)."""

    class Kind(models.TextChoices):
        EXEMPT = "exempt", _("Miễn sinh hoạt")
        TEMPORARY = "temporary", _("Tạm miễn sinh hoạt")

    CELL_PATH = "member__cell"

    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="exemptions"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind, default=Kind.TEMPORARY)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExemptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "-starts_on"]
        verbose_name = _("miễn, tạm miễn sinh hoạt")
        verbose_name_plural = _("miễn, tạm miễn sinh hoạt")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="exemption_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_kind_display()}"

    def covers(self, day) -> bool:
        """In force on ``day``: what ``Exemption.objects.covering(day)`` selects."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Role(models.Model):
    """A login's role in an organisation: what it may do there.

    In a cell: secretary, leader or member. At a committee node: committee
    officer, who reads everything at and under it. One person may hold roles
    in several organisations (a member who moved, an officer who is also a
    member of a cell) and works in one at a time (``members.workplace``). A
    role's permissions are those of the Django group of the same name
    (``chibo/migrations``), which an administrator may shape in the admin.
    """

    class Kind(models.TextChoices):
        SECRETARY = SECRETARY, _("Bí thư, phó bí thư")
        LEADER = LEADER, _("Lãnh đạo, cấp ủy")
        MEMBER = MEMBER, _("Đảng viên")
        COMMITTEE = COMMITTEE, _("Cán bộ cấp ủy cấp trên")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức đảng"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    kind = models.CharField(_("vai trò"), max_length=20, choices=Kind)

    # A role belongs to the organisation it is held in (a cell, or a committee node).
    CELL_PATH = "organisation"

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="role_one_per_organisation",
                violation_error_message=_("Tài khoản này đã có vai trò ở tổ chức đảng này."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[SECRETARY, LEADER, MEMBER, COMMITTEE]),
                name="role_kind_known",
                violation_error_message=_("Vai trò không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} — {self.organisation}"

    def clean(self):
        """Cell roles are held in a cell, the committee role at a committee node.

        The database cannot look at the organisation's kind; the admin and
        the management command check it here.
        """
        if self.organisation_id is None:
            return
        in_cell = self.organisation.is_cell
        if self.kind == COMMITTEE and in_cell:
            raise ValidationError(
                {"organisation": _("Cán bộ cấp ủy cấp trên gắn với một đảng bộ, không với chi bộ.")}
            )
        if self.kind != COMMITTEE and self.kind and not in_cell:
            raise ValidationError(
                {"organisation": _("Bí thư, lãnh đạo và đảng viên giữ vai trò trong một chi bộ.")}
            )


class LoginRecord(models.Model):
    """Whose successful login a django-axes access log row records.

    Axes keeps only the user name as typed, and a user name moves: a login
    renamed, and its old name given to someone else, would hand the first
    person's logins (time, address, browser) to the second. The row is tied
    to the account when it is written (``members.logins``), so it follows the
    person. It goes when axes deletes the log row (``axes_reset_logs``).
    """

    access_log = models.OneToOneField(
        "axes.AccessLog", on_delete=models.CASCADE, primary_key=True, related_name="owner"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_records"
    )

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lần đăng nhập")

    def __str__(self):
        return f"{self.user} — {self.access_log_id}"


class PasswordLinkCount(models.Model):
    """How many one-time set-password links were made for a login.

    The number is part of the links' token (``members.tokens``): making a new
    link raises it, which voids every earlier link of that login.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_link_count",
    )
    made = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số đường dẫn đặt mật khẩu")
        verbose_name_plural = _("số đường dẫn đặt mật khẩu")

    def __str__(self):
        return f"{self.user}: {self.made}"


def single_cell() -> Organisation:
    """The cell of a Chibo that serves one: made, under one committee, if there is none.

    The migration members/0005 makes them on every database; a database
    emptied since (a test's flush) gets them back the same way, from the same
    settings. For load_demo, load_bulk and the tests, never for a request.
    """
    cell = Organisation.objects.cells().order_by("pk").first()
    if cell is None:
        committee = Organisation.objects.create(
            name=settings.CHIBO_SUPERIOR_COMMITTEE or DEFAULT_COMMITTEE_NAME,
            kind=Organisation.Kind.COMMITTEE,
        )
        cell = Organisation.objects.create(
            name=settings.CHIBO_CELL_NAME or DEFAULT_CELL_NAME,
            kind=Organisation.Kind.CELL,
            parent=committee,
            superior_name=settings.CHIBO_SUPERIOR_COMMITTEE,
        )
    return cell
