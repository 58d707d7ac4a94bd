"""`govqms load_demo`: the demo province (once), then the demo accounts."""

from django.core.management.base import BaseCommand, CommandError

from govqms.core.services_calendar import load_official_overrides
from govqms.demo.assessments import load_demo_assessments
from govqms.demo.documents import load_demo_documents
from govqms.demo.dossiers import load_demo_dossiers
from govqms.demo.improvement import load_demo_improvement
from govqms.demo.province import DEMO_PASSWORD, DemoConflict, load_demo_province, print_accounts
from govqms.procedures.demo import load_demo_procedures


class Command(BaseCommand):
    help = (
        "Load the demo province (Bắc Ninh in 2022, Bắc Giang, and their merger on "
        "1 July 2025), its records and its 2021, 2022 and current assessment campaigns, "
        "and print the demo accounts. Does nothing if it is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--counts", action="store_true", help="also print the counts")
        parser.add_argument(
            "--full",
            action="store_true",
            help=(
                "every commune adopts every operational procedure, and two years of "
                "dossiers at full volume (slower)"
            ),
        )

    def handle(self, *args, counts=False, full=False, **options):
        try:
            summary = load_demo_province(stdout=self.stdout)
        except DemoConflict as exc:
            raise CommandError(str(exc)) from None
        if summary.loaded:
            self.stdout.write(
                self.style.SUCCESS(f"Demo province loaded in {summary.seconds:.1f} s.")
            )
        else:
            self.stdout.write("The demo province is already loaded: nothing changed.")
        if summary.loaded or counts:
            width = max(len(k) for k in summary.counts)
            for key, value in summary.counts.items():
                self.stdout.write(f"  {key.ljust(width)}  {value:>6}")
        added = load_official_overrides()
        if added:
            self.stdout.write(f"Working calendar: {len(added)} official change(s) added.")
        documents = load_demo_documents(stdout=self.stdout, full=full)
        if not documents.loaded:
            self.stdout.write("The demo documents are already loaded: nothing changed.")
        procedures = load_demo_procedures()
        self.stdout.write(f"Administrative procedures: {procedures}")
        load_demo_dossiers(stdout=self.stdout, full=full)
        improvement = load_demo_improvement(stdout=self.stdout, full=full)
        if not improvement["loaded"]:
            self.stdout.write("The demo improvement loop is already loaded: nothing changed.")
        assessments = load_demo_assessments(stdout=self.stdout, full=full)
        if not assessments["loaded"]:
            self.stdout.write("The demo assessments are already loaded: nothing changed.")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        print_accounts(self.stdout)
