from django.core.management.base import BaseCommand
from django.utils import timezone

from chibo.demo.cell import DEMO_PASSWORD, DemoLoader
from chibo.demo.siblings import COMMITTEE_LOGIN
from chibo.lib.roles import ROLE_GROUPS


class Command(BaseCommand):
    help = (
        "Nạp chi bộ mẫu: 30 đảng viên trong 4 tổ Đảng, kế hoạch năm 2020 với 7 kỳ sinh hoạt "
        "chuyên đề và 12 kỳ sinh hoạt định kỳ (có nghị quyết, kiểm điểm nhiệm vụ), kế hoạch "
        "năm nay; cùng năm chi bộ khác trong cùng đảng bộ và tài khoản "
        "cán bộ đảng bộ (committee). Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        created = DemoLoader(today=timezone.localdate()).run()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp chi bộ mẫu ({created} bản ghi)."))
        else:
            self.stdout.write("Chi bộ mẫu đã có sẵn: không thay đổi gì.")
        self.stdout.write(
            "Tài khoản dùng thử (chỉ để xem thử, đừng dùng khi chạy thật): "
            + ", ".join([*ROLE_GROUPS, COMMITTEE_LOGIN])
            + f" — mật khẩu: {DEMO_PASSWORD}"
        )
