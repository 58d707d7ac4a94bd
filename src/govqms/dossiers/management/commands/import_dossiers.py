"""`govqms import_dossiers FILE --unit CODE [--profile NAME | --xes] [--lenient]`"""

import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from govqms.dossiers.imports.csv_xlsx import sniff_format
from govqms.dossiers.models import ImportProfile
from govqms.dossiers.profiles import NATIONAL_PORTAL
from govqms.dossiers.services.imports import import_file
from govqms.organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Import dossier evidence (CSV/XLSX through a column profile, or an IEEE XES log, "
        ".xes or .xes.gz) for an agency in one transaction: if any row is wrong nothing "
        "is imported and every error is listed; importing the same file again changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="the agency's code")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--profile", help=f"column profile for CSV/XLSX (default: {NATIONAL_PORTAL})"
        )
        group.add_argument("--xes", action="store_true", help="the file is an XES event log")
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="events or results before receipt are warnings, not errors",
        )
        parser.add_argument("--as-user", dest="username", help="import as this user")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, unit, profile, xes, lenient, username, no_progress, **opts):
        try:
            agency = Unit.objects.get(code=unit)
        except Unit.DoesNotExist:
            raise CommandError(f"No agency with the code {unit!r}.") from None
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"No user {username!r}.")
        if not os.path.exists(file):
            raise CommandError(f"No file {file!r}.")
        chosen = None
        if xes or file.lower().endswith((".xes", ".xes.gz")):
            fmt = "xes"
        else:
            name = profile or NATIONAL_PORTAL
            chosen = (
                ImportProfile.objects.filter(name=name, unit=agency).first()
                or ImportProfile.objects.filter(name=name, unit=None).first()
            )
            if chosen is None:
                raise CommandError(f"No import profile {name!r}.")
            with open(file, "rb") as f:
                fmt = sniff_format(f.read(4))
        bar = None if no_progress else ProgressBar(sys.stderr, os.path.basename(file))
        try:
            result = import_file(
                actor,
                agency,
                file,
                fmt=fmt,
                profile=chosen,
                lenient=lenient,
                progress=bar,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar:
                bar.close()
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(f"#{result.batch.pk}: {result.summary()}"))


class ProgressBar:
    """A one-line progress bar on stderr: rows read and checked, and the share of the
    file done once the import can tell it (`total`: the rows it expects)."""

    def __init__(self, stream, label: str, width: int = 30):
        self.stream, self.label, self.width = stream, label, width
        self.total = None
        self.last = -1

    def __call__(self, processed: int, total: int | None = None):
        if total:
            self.total = total
        percent = min(100, processed * 100 // self.total) if self.total else None
        step = percent if percent is not None else processed // 5000
        if step == self.last:
            return
        self.last = step
        if percent is not None:
            filled = self.width * percent // 100
            line = (
                f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                f"{percent:3d} % · {processed} rows"
            )
        else:
            line = f"\r{self.label}: {processed} rows"
        self.stream.write(line)
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()
