from pathlib import Path

from django.core.management.base import BaseCommand

from chibo.backup import backup_database, table_counts


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp: SQLite bằng API sao lưu trực tuyến, "
        "PostgreSQL bằng pg_dump. Chibo vẫn chạy trong khi sao lưu. Thư mục tệp tải lên "
        "(MEDIA_ROOT) cần sao lưu riêng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu sẽ ghi (ghi đè nếu đã có)")

    def handle(self, *args, file, **options):
        backup_database(file)
        counts = table_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {len(counts)} bảng, {sum(counts.values())} dòng vào {file}."
            )
        )
