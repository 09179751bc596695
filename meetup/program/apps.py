from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "meetup.program"
    label = "program"
    verbose_name = "Startup program"

    def ready(self):
        from meetup.accounts import personal_data
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email
        from meetup.program import personal_data as program_data
        from meetup.program.notifications import decision_email_for, team_invitation_email_for

        register_email(Broadcast.Kind.PROGRAM, decision_email_for)
        register_email(Broadcast.Kind.PROGRAM_TEAM, team_invitation_email_for)
        personal_data.register("applications", export=program_data.export_applications,
                               erase=program_data.erase_program)
        personal_data.register("judging", export=program_data.export_reviews)
