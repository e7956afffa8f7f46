from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from cells.audit import AuditedCommand


class Command(AuditedCommand):
    help = "Build the Văn Lãng demo story into the configured database. Running it again changes nothing."

    def handle(self, *args, **options):
        # Each app adds its part of the story; settings list the builders in dependency order,
        # so this command in `cells` never imports the apps above it.
        logins = []
        with transaction.atomic():
            for dotted in settings.VANLANG_DEMO_BUILDERS:
                logins.extend(import_string(dotted)() or [])
        self.stdout.write(self.style.SUCCESS("Demo data ready: Đảng bộ huyện Văn Lãng."))
        self.stdout.write("Demo logins (user / password / role / scope):")
        for username, password, role, scope in logins:
            self.stdout.write(f"  {username:<16} {password:<14} {role:<10} {scope}")
