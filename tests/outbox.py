"""Run the outbox in the test process, as a worker would."""


def deliver_all(channels=("sms", "email")) -> int:
    """Plan owed RSVP messages, then claim and send everything due; returns messages handled."""
    from meetup.broadcasts import outbox, services

    services.rsvp_messages_plan()
    return sum(outbox.outbox_work(channel=channel, budget_seconds=60)[0] for channel in channels)
