"""`govqms import_admin_units --province "Bắc Ninh" --parent CODE [--legacy --valid-from DATE]`"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from govqms.organizations import adminunits
from govqms.organizations.imports import parse_date


class Command(BaseCommand):
    help = (
        "Create a province's official communes and wards (package vietnamadminunits) as "
        "commune People's Committees under an agency. Codes come from the official "
        "codes, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help='e.g. "Bắc Ninh"')
        parser.add_argument(
            "--parent", help="code of the agency the communes (or districts) go under"
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="the list before 1 July 2025: districts, with their communes under them",
        )
        parser.add_argument(
            "--valid-from",
            help="start date (YYYY-MM-DD or DD/MM/YYYY); default 2025-07-01, "
            "required with --legacy",
        )
        parser.add_argument("--dry-run", action="store_true", help="check, save nothing")
        parser.add_argument(
            "--list", action="store_true", help="only print the official list, import nothing"
        )
        parser.add_argument("--as-user", dest="username", help="import as this user")

    def handle(self, *args, **options):
        province, legacy = options["province"], options["legacy"]
        try:
            valid_from = parse_date(options["valid_from"]) if options["valid_from"] else None
        except ValueError:
            raise CommandError(f"Not a date: {options['valid_from']!r}.") from None
        try:
            if options["list"]:
                self._print_list(province, legacy)
                return
            if not options["parent"]:
                raise CommandError("--parent is required (the code of the agency above).")
            actor = None
            if options["username"]:
                actor = get_user_model().objects.filter(username=options["username"]).first()
                if actor is None:
                    raise CommandError(f"No user {options['username']!r}.")
            result = adminunits.import_admin_units(
                province,
                parent_code=options["parent"],
                legacy=legacy,
                valid_from=valid_from,
                actor=actor,
                dry_run=options["dry_run"],
            )
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(f"{result.filename}: {result.summary()}"))

    def _print_list(self, province, legacy):
        if legacy:
            for district in adminunits.legacy_districts(province):
                self.stdout.write(f"{district.code}  {district.name}")
                for ward in district.wards:
                    self.stdout.write(f"  {ward.code}  {ward.name}")
            return
        mapping = adminunits.ward_mapping(province)
        for ward in adminunits.province_wards(province):
            former = ", ".join(f"{w.name} ({w.code})" for w in mapping.get(ward.code, []))
            self.stdout.write(f"{ward.code}  {ward.name}  ← {former}")
