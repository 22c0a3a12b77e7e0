from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from members.models import Member, PartyGroup
from sessions.models import Attendance, AttendanceFigures


@permission_required("members.view_member", raise_exception=True)
def member_list(request):
    """The cell's members by party group; those who left are listed apart."""
    current = Member.objects.regular().current()
    groups = PartyGroup.objects.prefetch_related(Prefetch("members", queryset=current))
    context = {
        "groups": groups,
        "temporary": Member.objects.filter(temporary=True).current(),
        "left": Member.objects.regular().filter(left_cell_on__isnull=False),
    }
    return render(request, "members/member_list.html", context)


@permission_required("members.view_member", raise_exception=True)
def member_detail(request, pk):
    member = get_object_or_404(Member.objects.select_related("group", "user"), pk=pk)
    records = (
        Attendance.objects.filter(member=member)
        .select_related("session", "group")
        .order_by("-session__start")
    )
    context = {
        "member": member,
        "exemptions": member.exemptions.all(),
        "records": records,
        "figures": AttendanceFigures.from_row(records.figures()),
    }
    return render(request, "members/member_detail.html", context)
