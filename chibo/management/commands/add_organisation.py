from django.core.management.base import BaseCommand, CommandError

from members.models import Organisation
from members.services import ServiceError
from members.setup import add_organisation, find_organisation


class Command(BaseCommand):
    help = (
        "Thêm một tổ chức đảng vào cây: --kind committee (đảng bộ), sub_committee (đảng bộ bộ "
        "phận) hoặc cell (chi bộ), --name tên đầy đủ, --parent số hoặc đúng tên tổ chức cấp "
        "trên (chi bộ và đảng bộ bộ phận phải có)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=Organisation.Kind.values, required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--parent", help="số hoặc đúng tên tổ chức cấp trên")

    def handle(self, *args, kind, name, parent, **options):
        try:
            above = find_organisation(parent) if parent else None
            organisation = add_organisation(kind=kind, name=name, parent=above)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        where = f", trực thuộc {above.name} (số {above.pk})" if above else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã thêm {organisation.get_kind_display().lower()} “{organisation.name}” "
                f"(số {organisation.pk}){where}."
            )
        )
