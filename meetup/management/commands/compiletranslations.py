"""Compile locale/*/LC_MESSAGES/django.po to .mo: msgfmt (compilemessages, which also checks the
placeholders) where GNU gettext is installed, polib otherwise. `make run`, `make test` and the
Docker image run it."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from meetup.lib import translations

IGNORED = [".venv", "node_modules", "build", "var", ".git"]


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo)."

    def add_arguments(self, parser):
        parser.add_argument("--polib", action="store_true", help="Use polib even where msgfmt is installed.")

    def handle(self, *args, polib=False, **options):
        if translations.has_msgfmt() and not polib:
            call_command("compilemessages", ignore_patterns=IGNORED, verbosity=options["verbosity"])
            return
        for po in translations.catalogues():
            translations.compile_with_polib(po)
            if options["verbosity"]:
                self.stdout.write(f"compiled {po} with polib")
