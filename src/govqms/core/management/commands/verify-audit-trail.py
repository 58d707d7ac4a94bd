from django.core.management.base import BaseCommand, CommandError

from govqms.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the hash chain of the audit trail and name the first broken entry."

    def handle(self, *args, **options):
        checked, problem = verify_chain()
        if problem:
            raise CommandError(
                f"Audit trail broken after {checked} good entries: {problem.message}"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified."))
