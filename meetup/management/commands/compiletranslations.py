"""Compile locale/*/LC_MESSAGES/django.po to .mo: msgfmt (compilemessages, which also checks the
placeholders) where GNU gettext is installed, polib (pure Python) otherwise.
`make run`, `make test` and the Docker image run it."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from meetup.lib import translations

IGNORED = [".venv", "node_modules", "build", "var", ".git"]


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo)."

    def add_arguments(self, parser):
        parser.add_argument("--python", action="store_true", help="Compile in Python even where msgfmt is installed.")

    def handle(self, *args, python=False, **options):
        if translations.has_msgfmt() and not python:
            call_command("compilemessages", ignore_patterns=IGNORED, verbosity=options["verbosity"])
            return
        for po in translations.catalogues():
            translations.compile_catalogue(po)
            if options["verbosity"]:
                self.stdout.write(f"compiled {po}")
