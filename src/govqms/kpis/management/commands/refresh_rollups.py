from django.core.management.base import BaseCommand, CommandError

from govqms.kpis import services


class Command(BaseCommand):
    help = (
        "Refresh the KPI rollups of dossiers: --all rebuilds everything; "
        "--dossiers 1,2,3 refreshes the cells of those dossiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Rebuild every rollup.")
        parser.add_argument("--dossiers", default="", help="Comma-separated dossier ids.")

    def handle(self, *args, **options):
        if options["all"]:

            def progress(done, total):
                self.stdout.write(f"\r{done}/{total}", ending="")
                self.stdout.flush()

            counts = services.rebuild_all(None, progress=progress)
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{counts['dossiers']} dossiers, {counts['cells']} cells refreshed."
                )
            )
            return
        if not options["dossiers"]:
            raise CommandError("Give --all or --dossiers.")
        try:
            ids = [int(x) for x in options["dossiers"].split(",") if x.strip()]
        except ValueError as exc:
            raise CommandError("--dossiers takes comma-separated ids.") from exc
        cells = services.after_import(ids)
        self.stdout.write(self.style.SUCCESS(f"{cells} cells refreshed."))
