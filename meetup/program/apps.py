from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "meetup.program"
    label = "program"
    verbose_name = "Startup program"

    def ready(self):
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email
        from meetup.program.notifications import decision_email_for, team_invitation_email_for

        register_email(Broadcast.Kind.PROGRAM, decision_email_for)
        register_email(Broadcast.Kind.PROGRAM_TEAM, team_invitation_email_for)
