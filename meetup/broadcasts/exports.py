from meetup.broadcasts import selectors
from meetup.lib.csv import streaming_csv

HEADER = ["username", "email", "phone", "channel", "status", "attempts", "sent_at", "provider_id", "error",
          "possible_duplicate"]


def deliveries_csv_response(broadcast):
    """Every delivery of a broadcast with its status and reason, streamed and spreadsheet-safe."""
    return streaming_csv(f"broadcast-{broadcast.pk}-deliveries.csv", HEADER, selectors.delivery_rows(broadcast))
