import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone


def add_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: under the field it names, or at the top."""
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def bind_in_zone(request, form_class, instance=None):
    """Bind a form whose times are wall-clock times in the object's own zone: the zone posted with
    the form, else the instance's, else UTC. Returns (form, valid, zone name); render the form
    inside `timezone.override(zone name)` too, so its times show in that zone."""
    tzname = request.POST.get("timezone") if request.method == "POST" else None
    if tzname not in zoneinfo.available_timezones():
        tzname = instance.timezone if instance else "UTC"
    with timezone.override(tzname):
        form = form_class(request.POST or None, instance=instance)
        valid = request.method == "POST" and form.is_valid()
    return form, valid, tzname
