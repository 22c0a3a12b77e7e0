from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sessions.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email members about their sessions in the coming days, and the secretary about "
        "sessions still to record. Run it once a day; a second run sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remind this many days ahead (default: CHIBO_REMINDER_DAYS_AHEAD).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that are due without sending or recording them.",
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError(_("Số ngày phải là một số không âm."))
        outcome = send_reminders(days=days, dry_run=dry_run)
        if dry_run:
            for line in outcome.planned:
                self.stdout.write(line)
            self.stdout.write(
                _("Chạy thử: %(count)s thư sẽ được gửi.") % {"count": len(outcome.planned)}
            )
        else:
            self.stdout.write(
                _(
                    "Đã gửi %(sessions)s thư nhắc lịch sinh hoạt và %(attendance)s thư nhắc "
                    "ghi điểm danh."
                )
                % {
                    "sessions": outcome.session_reminders,
                    "attendance": outcome.attendance_reminders,
                }
            )
        if outcome.without_email:
            self.stderr.write(
                _("Chưa có địa chỉ thư điện tử: %(names)s.")
                % {"names": ", ".join(sorted(outcome.without_email))}
            )
        for line in outcome.errors:
            self.stderr.write(line)
        if outcome.stopped:
            raise CommandError(
                _("%(reason)s Thư nào chưa gửi được, lần chạy sau sẽ gửi lại.")
                % {"reason": outcome.stopped}
            )
        if outcome.failed:
            raise CommandError(
                _("%(count)s thư chưa gửi được; lần chạy sau sẽ gửi lại.")
                % {"count": outcome.failed}
            )
