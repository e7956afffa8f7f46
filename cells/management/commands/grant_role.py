from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
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
        if password is not None:
            self.check_password(username, password)
        user_role_grant(username=username, role=role, organization=organization, password=password)
        self.stdout.write(f"{username}: {role} over {organization.code} ({organization.name})")

    @staticmethod
    def check_password(username, password):
        """The same rules as the password change page (AUTH_PASSWORD_VALIDATORS), before any change."""
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            reasons = "\n".join(f"- {message}" for message in error.messages)
            raise CommandError(f"The password was refused, nothing was changed:\n{reasons}") from error
