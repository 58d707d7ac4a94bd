import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govqms.core.sweep import SweepFailed, daily_jobs, run_daily


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Run the daily sweep: every registered daily job (approved versions taking "
        "effect on their date, read reminders, ...), printing how many things each did. "
        "Run it once a day from cron or a systemd timer, e.g. the crontab line "
        "'15 0 * * * govqms sweep' (00:15 Asia/Ho_Chi_Minh); jobs are idempotent, so a "
        "second run the same day does nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="The day to sweep for, YYYY-MM-DD (default: today in the local time zone).",
        )

    def handle(self, *args, date=None, **options):
        today = date or timezone.localdate()
        jobs = daily_jobs()
        self.stdout.write(f"Daily sweep for {today:%Y-%m-%d}: {len(jobs)} job(s)")
        try:
            results = run_daily(today, stdout=self.stdout)
        except SweepFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(results.values())} in all."))
