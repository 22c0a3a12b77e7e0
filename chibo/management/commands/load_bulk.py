import time

from django.core.management.base import BaseCommand, CommandError

from chibo.demo.bulk import SIZES, BulkLoader, NotEmptyError


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu nhiều năm để đo hiệu năng: --size cell (30 đảng viên, 4 tổ, 10 năm, "
        "khoảng 12 kỳ mỗi năm) hoặc --size large (300 đảng viên, 20 tổ, 20 năm, khoảng "
        "24 kỳ mỗi năm) hoặc --size committee (200 chi bộ cỡ cell trong một đảng bộ, 3 năm, "
        "không có ảnh). Chỉ nạp vào một cơ sở dữ liệu trống; không dùng cho chi bộ thật."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), required=True)
        parser.add_argument("--seed", type=int, default=1, help="cùng seed, cùng dữ liệu")

    def handle(self, *args, size, seed, **options):
        started = time.monotonic()
        try:
            counts = BulkLoader(SIZES[size], seed=seed).run()
        except NotEmptyError as error:
            raise CommandError(str(error)) from error
        written = ", ".join(f"{model} {count}" for model, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu cỡ {size} trong {time.monotonic() - started:.1f} giây: {written}."
            )
        )
        self.stdout.write(
            "Tài khoản dv0001, dv0002… (ở các chi bộ sau: cb002-dv0001…) không có mật khẩu; "
            "muốn đăng nhập thử, đặt mật khẩu bằng manage.py changepassword."
        )
