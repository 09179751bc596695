from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from meetup.accounts.services import api_token_issue, organiser_grant


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; the token is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organiser", action="store_true", help="also grant the organiser role")
        parser.add_argument("--name", default="issued by manage.py")

    def handle(self, username, organiser, name, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if organiser:
            organiser_grant(user=user)
            self.stderr.write(f"{username} is now an organiser.")
        _, key = api_token_issue(user=user, name=name)
        self.stdout.write(key)
