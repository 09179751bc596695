import re
import secrets

from django.db import migrations


def email_usernames_to_handles(apps, schema_editor):
    """Usernames equal to their email's local part (what sign-up used to make) become handles."""
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("username", flat=True))
    for user in User.objects.exclude(email="").only("pk", "username", "email").iterator():
        local = re.sub(r"[^a-z0-9]", "", user.email.split("@", 1)[0].lower())
        name = re.sub(r"[^a-z0-9]", "", user.username.lower())
        if not local or not re.fullmatch(re.escape(local) + r"\d*", name):
            continue
        handle = f"user-{secrets.token_hex(3)}"
        while handle in taken:
            handle = f"user-{secrets.token_hex(3)}"
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(username=handle)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_i17_pronouns"),
    ]

    operations = [migrations.RunPython(email_usernames_to_handles, migrations.RunPython.noop)]
