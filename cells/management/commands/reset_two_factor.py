from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cells.models import SecurityEvent
from cells.security.events import security_event_record
from cells.security.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator and recovery codes (a lost phone): they set it up again at next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        removed = two_factor_reset(user=user)
        security_event_record(kind=SecurityEvent.Kind.SECOND_FACTOR, user=user, detail="reset by reset_two_factor")
        self.stdout.write(f"{username}: {removed} device(s) and code(s) removed")
