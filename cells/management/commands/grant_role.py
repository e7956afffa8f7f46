from django.core.management.base import CommandError

from cells.audit import AuditedCommand
from cells.models import Organization, UserRole
from cells.services import user_role_grant


class Command(AuditedCommand):
    help = "Create or update a user and give it ROLE over ORG_CODE's subtree."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help="staff, standing, secretary or auditor")
        parser.add_argument("org_code")
        parser.add_argument("--password", help="set this password (otherwise an existing one is kept)")

    def handle(self, *args, username, role, org_code, password=None, **options):
        if role not in UserRole.Role.values:
            raise CommandError(f"Unknown role {role!r}: use one of {', '.join(UserRole.Role.values)}.")
        organization = Organization.objects.filter(code=org_code).first()
        if organization is None:
            raise CommandError(f"No organization has the code {org_code!r}.")
        user_role_grant(username=username, role=role, organization=organization, password=password)
        self.stdout.write(f"{username}: {role} over {organization.code} ({organization.name})")
