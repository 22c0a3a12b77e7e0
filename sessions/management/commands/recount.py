from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Organisation
from sessions.figures import recount
from sessions.models import SessionFigures, ThematicSession


class Command(BaseCommand):
    help = (
        "Check every kept attendance figure (SessionFigures, MemberYearFigures) against a "
        "recount from the attendance rows and print what differs; exit status 1 when "
        "something does. With --fix, repair it in one transaction and print what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write the recounted figures where they differ (one transaction).",
        )

    def handle(self, *args, fix=False, **options):
        with transaction.atomic():
            changes = recount(fix=fix)
        for line in describe(changes):
            self.stdout.write(line)
        if not changes:
            self.stdout.write(_("Số liệu đã lưu khớp với số đếm lại từ điểm danh."))
            return
        if fix:
            self.stdout.write(
                _("Đã sửa %(count)s số liệu cho khớp với số đếm lại từ điểm danh.")
                % {"count": len(changes)}
            )
            return
        raise CommandError(
            _(
                "%(count)s số liệu đã lưu khác với số đếm lại từ điểm danh; chạy lại với "
                "--fix để sửa."
            )
            % {"count": len(changes)}
        )


def describe(changes) -> list[str]:
    """One line per figure that differed: where, which, stored → counted (— for none)."""
    session_ids = {c.key for c in changes if c.table == "session"}
    member_ids = {c.key[1] for c in changes if c.table == "member"}
    # The names of what differs, across cells on purpose: the command checks them all.
    sessions = (
        ThematicSession.objects.across_cells().select_related("plan__cell").in_bulk(session_ids)
    )
    members = Member.objects.across_cells().in_bulk(member_ids)
    cells = Organisation.objects.in_bulk({c.key[0] for c in changes if c.table == "member"})
    kept = {
        row.session_id: row.year
        for row in SessionFigures.objects.across_cells().filter(session_id__in=session_ids)
    }
    lines = []
    for change in changes:
        stored = "—" if change.stored is None else change.stored
        counted = "—" if change.counted is None else change.counted
        if change.table == "session":
            session = sessions.get(change.key)
            where = _("%(cell)s, kỳ sinh hoạt #%(id)s “%(session)s”, năm %(year)s") % {
                "cell": session.plan.cell if session else "—",
                "id": change.key,
                "session": session if session else "—",
                "year": timezone.localtime(session.start).year
                if session
                else kept.get(change.key, "—"),
            }
        else:
            cell_id, member_id, year = change.key
            where = _("%(cell)s, đảng viên #%(id)s %(name)s, năm %(year)s") % {
                "cell": cells.get(cell_id, cell_id),
                "id": member_id,
                "name": members[member_id].full_name if member_id in members else "—",
                "year": year,
            }
        lines.append(f"{where}: {change.field} {stored} → {counted}")
    return lines
