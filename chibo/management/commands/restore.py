from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chibo.backup import restore_database, table_counts


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu từ một tệp do lệnh backup ghi ra. Toàn bộ dữ liệu hiện có "
        "được thay bằng dữ liệu trong bản sao lưu. Hãy dừng Chibo trước khi khôi phục và "
        "chạy migrate sau đó."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="không hỏi xác nhận",
        )

    def handle(self, *args, file, interactive, **options):
        if interactive:
            answer = input(
                f"Toàn bộ dữ liệu hiện có sẽ bị thay bằng bản sao lưu {file}.\n"
                "Gõ 'yes' để tiếp tục, phím khác để hủy: "
            )
            if answer != "yes":
                raise CommandError("Đã hủy, không có gì thay đổi.")
        restore_database(file)
        counts = table_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {len(counts)} bảng, {sum(counts.values())} dòng từ {file}. "
                "Hãy chạy 'python manage.py migrate' nếu bản sao lưu cũ hơn phiên bản Chibo này."
            )
        )
