from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chibo.lib import spreadsheets
from chibo.lib.query import number_from
from chibo.lib.roles import (
    ADD_EXEMPTION,
    ADD_GROUP,
    ADD_MEMBER,
    CHANGE_CELL_PROFILE,
    CHANGE_EXEMPTION,
    CHANGE_GROUP,
    CHANGE_MEMBER,
    ROLE_GROUPS,
    VIEW_GROUP,
    VIEW_MEMBER,
)
from chibo.lib.text import fold
from members import services
from members.forms import (
    AccountForm,
    CellProfileForm,
    ExemptionForm,
    GroupForm,
    ImportForm,
    LeaveForm,
    MemberEditForm,
    MemberForm,
    MoveForm,
    StayForm,
    TransferForm,
)
from members.importing import ImportFileError, ImportRow, check_rows, raw_rows, read_table
from members.models import Exemption, Member, PartyGroup
from members.versions import rendered_template
from members.workplace import cell_of, role_in

IMPORT_SALT = "members.import"
IMPORT_MAX_AGE = 3600
LINK_SESSION_KEY = "chibo_password_link"

# The list's filters: (label, members shown).
FILTERS = {
    "active": gettext_lazy("Đang sinh hoạt"),
    "probationary": gettext_lazy("Dự bị"),
    "exempt": gettext_lazy("Đang miễn, tạm miễn"),
    "temporary": gettext_lazy("Sinh hoạt tạm thời"),
    "left": gettext_lazy("Đã thôi sinh hoạt"),
}


def cell_members(request):
    """The members of the cell the request works in: another cell's answer 404."""
    return Member.objects.of_cell(cell_of(request.user))


def filtered_members(name, today, cell):
    exempt = Exemption.objects.covering(today).filter(member=OuterRef("pk"))
    members = Member.objects.of_cell(cell).annotate(exempt_now=Exists(exempt))
    current = members.regular().current()
    return {
        "active": current,
        "probationary": current.filter(standing=Member.Standing.PROBATIONARY),
        "exempt": current.filter(exempt_now=True),
        "temporary": members.filter(temporary=True).current(),
        "left": members.regular().filter(left_cell_on__isnull=False),
    }[name]


def filter_counts(today, cell):
    """How many members each filter shows, in one query."""
    exempt = Exists(Exemption.objects.covering(today).filter(member=OuterRef("pk")))
    current = Q(temporary=False, left_cell_on__isnull=True)
    # Aggregate names must not be field names ("temporary"): prefix them.
    counts = Member.objects.of_cell(cell).aggregate(
        n_active=Count("pk", filter=current),
        n_probationary=Count("pk", filter=current & Q(standing=Member.Standing.PROBATIONARY)),
        n_exempt=Count("pk", filter=current & Q(exempt)),
        n_temporary=Count("pk", filter=Q(temporary=True, left_cell_on__isnull=True)),
        n_left=Count("pk", filter=Q(temporary=False, left_cell_on__isnull=False)),
    )
    return {key.removeprefix("n_"): value for key, value in counts.items()}


def matching(members, search: str):
    """Members whose name contains ``search``, whatever the case and the diacritics.

    Names are compared in Python (one narrow query of ids and names), the same
    way on SQLite and PostgreSQL, where the database's own comparison differs.
    """
    wanted = fold(search)
    ids = [pk for pk, name in members.values_list("pk", "full_name") if wanted in fold(name)]
    return members.filter(pk__in=ids)


@permission_required(VIEW_MEMBER, raise_exception=True)
def member_list(request):
    """The cell's members by party group, filtered by their standing in the cell.

    A page shows at most ``CHIBO_MEMBERS_PER_PAGE`` members (an organisation of
    300 pages through them); a name search and the group filter narrow the list.
    """
    today = timezone.localdate()
    cell = cell_of(request.user)

    def context():
        chosen = request.GET.get("filter", "active")
        if chosen not in FILTERS:
            chosen = "active"
        search = request.GET.get("q", "").strip()[:100]
        groups = list(PartyGroup.objects.of_cell(cell))
        # Anything that is no id of ours shows every group.
        group_id = number_from(request.GET.get("group"))
        members = filtered_members(chosen, today, cell)
        if group_id is not None:
            members = members.filter(group_id=group_id)
        if search:
            members = matching(members, search)
        # A group's section may run over two pages: its heading counts all of it.
        group_totals = dict(members.order_by().values_list("group_id").annotate(total=Count("pk")))
        # In the order of the sections: group by group, then by name.
        members = members.annotate(
            has_account=ExpressionWrapper(Q(user__is_active=True), output_field=BooleanField())
        ).order_by(F("group__order").asc(nulls_last=True), "group__name", "sort_name", "pk")
        page = Paginator(members, settings.CHIBO_MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
        by_group = {}
        for member in page:
            by_group.setdefault(member.group_id, []).append(member)
        # Unfiltered and on one page, every active group is listed, an empty one too.
        show_empty = chosen == "active" and group_id is None and not search
        show_empty = show_empty and page.paginator.num_pages == 1
        sections = [
            (group, by_group.get(group.pk, []), group_totals.get(group.pk, 0))
            for group in groups
            if group.pk in by_group or (show_empty and group.is_active)
        ]
        if None in by_group:
            sections.append((None, by_group[None], group_totals.get(None, 0)))
        counts = filter_counts(today, cell)
        kept = {"filter": chosen, "group": group_id or "", "q": search}
        return {
            "sections": sections,
            "filters": [(key, label, counts[key]) for key, label in FILTERS.items()],
            "chosen": chosen,
            "groups": groups,
            "group_id": group_id,
            "search": search,
            "page": page,
            "page_query": urlencode({key: value for key, value in kept.items() if value}),
            "total": page.paginator.count,
        }

    # The list below the page's buttons, for each version of the cell's data,
    # day (the standings change with it) and choice of filter, group, name and page.
    asked = [request.GET.get(key, "") for key in ("filter", "group", "q", "page")]
    body = rendered_template(
        request, "member-list", cell, "members/_member_list_body.html", context, today, *asked
    )
    return render(request, "members/member_list.html", {"body": body})


@permission_required(ADD_MEMBER, raise_exception=True)
def member_create(request):
    # ?temporary=1: from the attendance sheet, for a member attending from another cell.
    initial = {"temporary": request.GET.get("temporary") == "1"}
    form = MemberForm(request.POST or None, initial=initial, cell=cell_of(request.user))
    if form.is_valid():
        member = form.save()
        messages.success(request, _("Đã thêm đồng chí %(name)s.") % {"name": member})
        return redirect(member)
    return render(request, "members/member_form.html", {"form": form})


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_edit(request, pk):
    member = get_object_or_404(cell_members(request), pk=pk)
    form = MemberEditForm(request.POST or None, instance=member)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin đồng chí %(name)s.") % {"name": member})
        return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_move(request, pk):
    member = get_object_or_404(
        cell_members(request).select_related("group"), pk=pk, temporary=False
    )
    refusal = services.left_refusal(member)
    if refusal:
        messages.error(request, refusal)
        return redirect(member)
    form = MoveForm(request.POST or None, instance=member)
    if form.is_valid():
        try:
            services.move_member(member=member, group=form.cleaned_data["group"])
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(member)
        messages.success(
            request,
            _("Đã chuyển đồng chí %(name)s sang %(group)s.")
            % {"name": member, "group": member.group},
        )
        return redirect(member)
    return render(request, "members/member_move.html", {"form": form, "member": member})


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_leave(request, pk):
    member = get_object_or_404(cell_members(request), pk=pk)
    refusal = services.left_refusal(member)
    if refusal:
        messages.error(request, refusal)
        return redirect(member)
    form = LeaveForm(request.POST or None, instance=member)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.mark_member_left(
                member=member,
                day=data["left_cell_on"],
                reason=data["left_reason"],
                note=data["left_note"],
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(member)
        messages.success(
            request, _("Đã ghi đồng chí %(name)s thôi sinh hoạt tại chi bộ.") % {"name": member}
        )
        return redirect(member)
    context = {
        "form": form,
        "member": member,
        "may_transfer": not member.temporary and services.other_cells(member.cell).exists(),
    }
    return render(request, "members/member_leave.html", context)


def cell_move(request, pk, *, form_class, refusal_of, move, done, template):
    """A move to another cell of this Chibo: the form, a confirmation, then the move.

    The form posts back with ``confirm`` once the secretary has read what
    will happen; a refusal of the service shows on the form.
    """
    member = get_object_or_404(cell_members(request).select_related("cell", "user"), pk=pk)
    cells = services.other_cells(member.cell)
    refusal = services.move_refusal(member)
    if refusal is None and not cells.exists():
        refusal = _("Chibo chưa có chi bộ nào khác trong cùng đảng bộ.")
    if refusal:
        messages.error(request, refusal)
        return redirect(member)
    form = form_class(request.POST or None, cells=cells)
    context = {"form": form, "member": member}
    if form.is_valid():
        cell, day = form.cleaned_data["cell"], form.cleaned_data["day"]
        refusal = refusal_of(member, cell, day, request.user)
        if refusal:
            form.add_error(None, refusal)
        elif request.POST.get("confirm") != "1":
            context.update(confirming=True, cell=cell, day=day, group=services.first_group(cell))
        else:
            try:
                move(member, cell, day, request.user)
            except services.ServiceError as error:
                messages.error(request, str(error))
                return redirect(member)
            messages.success(
                request, done % {"name": member, "cell": cell, "day": day.strftime("%d/%m/%Y")}
            )
            return redirect(member)
    return render(request, template, context)


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_transfer(request, pk):
    """Chuyển sinh hoạt đảng to another cell of this Chibo (``services.transfer_member``)."""
    return cell_move(
        request,
        pk,
        form_class=TransferForm,
        refusal_of=lambda member, cell, day, by: services.transfer_refusal(
            member=member, to_cell=cell, day=day, by=by
        ),
        move=lambda member, cell, day, by: services.transfer_member(
            member=member, to_cell=cell, day=day, by=by
        ),
        done=_("Đã chuyển sinh hoạt đồng chí %(name)s đến %(cell)s từ ngày %(day)s."),
        template="members/member_transfer.html",
    )


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_send(request, pk):
    """Send a member to attend another cell temporarily (``services.send_temporarily``)."""
    return cell_move(
        request,
        pk,
        form_class=StayForm,
        refusal_of=lambda member, cell, day, by: services.stay_refusal(
            member=member, host=cell, day=day
        ),
        move=lambda member, cell, day, by: services.send_temporarily(
            member=member, host=cell, day=day, by=by
        ),
        done=_("Đã giới thiệu đồng chí %(name)s sinh hoạt tạm thời tại %(cell)s từ ngày %(day)s."),
        template="members/member_send.html",
    )


@permission_required(ADD_EXEMPTION, raise_exception=True)
def exemption_create(request, pk):
    member = get_object_or_404(cell_members(request), pk=pk)
    form = ExemptionForm(request.POST or None, instance=Exemption(member=member))
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã ghi đợt miễn, tạm miễn sinh hoạt."))
        return redirect(member)
    context = {"form": form, "member": member}
    return render(request, "members/exemption_form.html", context)


@permission_required(CHANGE_EXEMPTION, raise_exception=True)
def exemption_edit(request, pk, exemption_pk):
    exemption = get_object_or_404(
        Exemption.objects.of_cell(cell_of(request.user)).select_related("member"),
        member_id=pk,
        pk=exemption_pk,
    )
    form = ExemptionForm(request.POST or None, instance=exemption)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu đợt miễn, tạm miễn sinh hoạt."))
        return redirect(exemption.member)
    context = {"form": form, "member": exemption.member, "exemption": exemption}
    return render(request, "members/exemption_form.html", context)


# --- Logins --------------------------------------------------------------------


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_account(request, pk):
    """Give a member a login and a role, change them, or see the one-time link."""
    member = get_object_or_404(cell_members(request).select_related("user"), pk=pk)
    user = member.user
    active = user is not None and user.is_active
    initial = {
        "username": user.username if user else services.suggest_username(member.full_name),
        "role": role_in(user, member.cell) or ROLE_GROUPS[-1],
    }
    form = AccountForm(request.POST or None, user=user, initial=initial)
    if form.is_valid():
        try:
            user = services.give_login(
                member=member,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect("members:account", pk=member.pk)
        if active:
            messages.success(request, _("Đã lưu tài khoản."))
        else:
            share_password_link(request, member)
        return redirect("members:account", pk=member.pk)
    context = {
        "member": member,
        "form": form,
        "active": active,
        "link": request.session.pop(LINK_SESSION_KEY, None),
        "link_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    return render(request, "members/member_account.html", context)


def share_password_link(request, member):
    """Show the one-time link to the secretary (once), and email it if we can."""
    link = services.password_link(request, member.user)
    request.session[LINK_SESSION_KEY] = link
    try:
        sent = services.send_password_link(member=member, link=link)
    except services.ServiceError as error:
        messages.warning(request, str(error))
        return
    if sent:
        messages.success(
            request,
            _("Đã gửi đường dẫn đặt mật khẩu tới %(email)s.") % {"email": member.email},
        )
    else:
        messages.info(
            request,
            _("Đồng chí này chưa có thư điện tử: hãy trao đường dẫn dưới đây tận tay."),
        )


@permission_required(CHANGE_MEMBER, raise_exception=True)
@require_POST
def member_account_link(request, pk):
    """A new one-time link for a login that is open (the member forgot, or lost it)."""
    member = get_object_or_404(cell_members(request).select_related("user"), pk=pk)
    refusal = services.no_login_refusal(member)
    if refusal:
        messages.error(request, refusal)
        return redirect("members:account", pk=member.pk)
    try:
        services.check_reach(member.user, by=request.user, cell=member.cell)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        share_password_link(request, member)
    return redirect("members:account", pk=member.pk)


@permission_required(CHANGE_MEMBER, raise_exception=True)
def member_account_revoke(request, pk):
    member = get_object_or_404(cell_members(request).select_related("user"), pk=pk)
    refusal = services.no_login_refusal(member)
    if refusal:
        messages.error(request, refusal)
        return redirect(member)
    if request.method == "POST":
        try:
            services.take_login_away(member=member, by=request.user)
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect("members:account", pk=member.pk)
        messages.success(
            request, _("Đã thu hồi tài khoản của đồng chí %(name)s.") % {"name": member}
        )
        return redirect(member)
    return render(request, "members/member_account_revoke.html", {"member": member})


# --- The cell ------------------------------------------------------------------


@permission_required(CHANGE_CELL_PROFILE, raise_exception=True)
def cell_profile(request):
    """The cell's profile, as its documents print it: the secretary keeps it."""
    cell = cell_of(request.user)
    if cell is None:
        raise Http404
    form = CellProfileForm(request.POST or None, instance=cell)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin chi bộ."))
        return redirect("members:cell_profile")
    return render(request, "members/cell_profile.html", {"form": form, "cell": cell})


# --- Groups --------------------------------------------------------------------


@permission_required(VIEW_GROUP, raise_exception=True)
def group_list(request):
    current = Q(members__temporary=False, members__left_cell_on__isnull=True)
    groups = (
        PartyGroup.objects.of_cell(cell_of(request.user))
        .select_related("leader")
        .annotate(member_count=Count("members", filter=current))
    )
    return render(request, "members/group_list.html", {"groups": groups})


@permission_required(ADD_GROUP, raise_exception=True)
def group_create(request):
    form = GroupForm(request.POST or None, cell=cell_of(request.user))
    if form.is_valid():
        group = services.add_group(group=form.save(commit=False))
        messages.success(request, _("Đã thêm %(group)s.") % {"group": group})
        return redirect("members:groups")
    return render(request, "members/group_form.html", {"form": form})


@permission_required(CHANGE_GROUP, raise_exception=True)
def group_edit(request, pk):
    group = get_object_or_404(PartyGroup.objects.of_cell(cell_of(request.user)), pk=pk)
    form = GroupForm(request.POST or None, instance=group)
    if form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu %(group)s.") % {"group": group})
        return redirect("members:groups")
    return render(request, "members/group_form.html", {"form": form, "group": group})


@permission_required(CHANGE_GROUP, raise_exception=True)
@require_POST
def group_move(request, pk, direction):
    group = get_object_or_404(PartyGroup.objects.of_cell(cell_of(request.user)), pk=pk)
    services.move_group(group=group, step=-1 if direction == "up" else 1, user=request.user)
    return redirect("members:groups")


@permission_required(CHANGE_GROUP, raise_exception=True)
@require_POST
def group_archive(request, pk):
    group = get_object_or_404(PartyGroup.objects.of_cell(cell_of(request.user)), pk=pk)
    try:
        services.archive_group(group=group)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã giải thể %(group)s; hồ sơ cũ vẫn giữ.") % {"group": group})
    return redirect("members:groups")


@permission_required(CHANGE_GROUP, raise_exception=True)
@require_POST
def group_restore(request, pk):
    group = get_object_or_404(PartyGroup.objects.of_cell(cell_of(request.user)), pk=pk)
    services.restore_group(group=group)
    messages.success(request, _("%(group)s hoạt động trở lại.") % {"group": group})
    return redirect("members:groups")


# --- Import --------------------------------------------------------------------


@permission_required(ADD_MEMBER, raise_exception=True)
def member_import(request):
    """Upload a list, see every row checked, import nothing yet."""
    form = ImportForm(request.POST or None, request.FILES or None)
    rows, token = None, None
    if form.is_valid():
        try:
            rows = check_rows(
                raw_rows(read_table(form.cleaned_data["file"])), cell=cell_of(request.user)
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if not any(row.errors for row in rows):
                token = signing.dumps(
                    [[row.line, row.raw] for row in rows],
                    salt=IMPORT_SALT,
                    compress=True,
                )
    return render(request, "members/member_import.html", import_context(form, rows, token))


def import_context(form, rows, token):
    return {
        "form": form,
        "rows": rows,
        "token": token,
        "bad_rows": sum(1 for row in rows if row.errors) if rows else 0,
    }


@permission_required(ADD_MEMBER, raise_exception=True)
@require_POST
def member_import_confirm(request):
    """Import the previewed rows, checked again: the cell may have changed since."""
    try:
        lines = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy tải tệp lên lại.")
        )
        return redirect("members:import")
    cell = cell_of(request.user)
    rows = check_rows([ImportRow(line=line, raw=raw) for line, raw in lines], cell=cell)
    try:
        members = services.import_members(rows=rows, cell=cell, user=request.user)
    except services.ServiceError:
        # The rows passed at the preview: the cell has changed since.
        messages.error(request, _("Danh sách đã thay đổi từ lúc xem trước: chưa nhập ai."))
        return render(
            request, "members/member_import.html", import_context(ImportForm(), rows, None)
        )
    messages.success(request, _("Đã nhập %(count)s đảng viên.") % {"count": len(members)})
    return redirect("members:list")


@permission_required(ADD_MEMBER, raise_exception=True)
def member_import_template(request):
    """A CSV with the expected columns and one example row."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="danh-sach-dang-vien.csv"'
    response.write("\ufeff")  # lets Excel read the file as UTF-8
    group = PartyGroup.objects.of_cell(cell_of(request.user)).filter(is_active=True).first()
    writer = spreadsheets.writer(response)  # quoted, never a formula (a group's name)
    writer.writerow(
        [
            "Họ và tên",
            "Tổ Đảng",
            "Loại đảng viên",
            "Chức vụ",
            "Ngày vào Đảng",
            "Ngày về chi bộ",
            "Số điện thoại",
            "Email",
        ]
    )
    writer.writerow(
        [
            "Nguyễn Văn An",
            group.name if group else "Tổ 1",
            "Chính thức",
            "Đảng viên",
            "19/05/2010",
            "01/03/2015",
            "0912345678",
            "an@example.org",
        ]
    )
    return response
