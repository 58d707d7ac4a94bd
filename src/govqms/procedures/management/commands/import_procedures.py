"""`govqms import_procedures FILE [--dry-run] [--as-user USERNAME]`"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from govqms.procedures.imports import import_procedures


class Command(BaseCommand):
    help = (
        "Import the catalogue of administrative procedures (TTHC) from an XLSX or CSV (UTF-8) "
        "file: everything is checked first, then applied in one transaction; a procedure "
        "already in the catalogue is updated with its history; importing the same file again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument(
            "--as-user",
            dest="username",
            help="import as this user (checked against their rights); default: the system",
        )

    def handle(self, *args, file, dry_run, username, **options):
        actor = None
        if username:
            try:
                actor = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {username!r}.") from None
        result = import_procedures(
            file, filename=os.path.basename(file), actor=actor, dry_run=dry_run
        )
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
