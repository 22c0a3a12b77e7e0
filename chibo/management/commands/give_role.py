from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import Member, Role
from members.services import ServiceError
from members.setup import find_organisation, give_role, set_password_link


class Command(BaseCommand):
    help = (
        "Cho một tài khoản vai trò ở một tổ chức đảng: --username tên đăng nhập (tạo mới nếu "
        "chưa có, chưa có mật khẩu), --organisation số hoặc đúng tên, --role secretary, leader, "
        "member (ở một chi bộ) hoặc committee (ở một đảng bộ), --member-id số đảng viên của chi "
        "bộ ấy nếu tài khoản là của một đảng viên."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--organisation", required=True, help="số hoặc đúng tên")
        parser.add_argument("--role", choices=Role.Kind.values, required=True)
        parser.add_argument("--member-id", type=int, dest="member_id")

    def handle(self, *args, username, organisation, role, member_id, **options):
        try:
            where = find_organisation(organisation)
            member = None
            if member_id is not None:
                member = Member.objects.filter(pk=member_id).first()
                if member is None:
                    raise ServiceError(f"Không có đảng viên số {member_id}.")
            given = give_role(username=username, organisation=where, kind=role, member=member)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{given.user.username}: {given.role.get_kind_display()} — {where.name} "
                f"(số {where.pk})."
            )
        )
        if given.user.has_usable_password():
            return
        link = set_password_link(given.user)
        self.stdout.write(
            "Tài khoản chưa có mật khẩu. Gửi cho người dùng đường dẫn đặt mật khẩu sau (chỉ dùng "
            f"được một lần, trong {settings.PASSWORD_RESET_TIMEOUT // 86400} ngày):\n{link}\n"
            f"Hoặc đặt mật khẩu ngay: python manage.py changepassword {given.user.username}"
        )
