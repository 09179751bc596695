"""Bounds on every time and number the product accepts, in one place for the API schemas (pydantic
types), Django forms and model fields (validators).

PostgreSQL stores years up to 294276 and Python reads back only up to 9999: a time accepted near
either end (or with an offset Python can hold but PostgreSQL refuses) breaks every page that shows
it afterwards. So times are kept to years 2000-2100 with offsets within +-14:00, and integers to the
range of the column they go into.
"""

from datetime import datetime, timedelta
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, AwareDatetime, Field

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_OFFSET = timedelta(hours=14)
INT_MAX = 2**31 - 1  # integer columns
BIGINT_MAX = 2**63 - 1  # bigint columns: every id
SMALLINT_MAX = 2**15 - 1


def datetime_problem(value: datetime) -> str | None:
    """Why `value` is out of bounds, or None when it is fine."""
    offset = value.utcoffset() if value.tzinfo else None
    if offset is not None and abs(offset) > MAX_OFFSET:
        return "The time zone offset must be between -14:00 and +14:00."
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        return f"The year must be between {YEAR_MIN} and {YEAR_MAX}."
    return None


def validate_datetime(value: datetime | None) -> None:
    """A Django validator (model fields, form fields)."""
    if value is None:
        return
    problem = datetime_problem(value)
    if problem:
        raise ValidationError(problem, code="out_of_range")


def _pydantic_datetime(value: datetime) -> datetime:
    problem = datetime_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# API types: use these instead of AwareDatetime and int for anything a client sends.
BoundedDatetime = Annotated[AwareDatetime, AfterValidator(_pydantic_datetime)]
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]
Int32 = Annotated[int, Field(ge=-INT_MAX - 1, le=INT_MAX)]
PositiveInt32 = Annotated[int, Field(ge=0, le=INT_MAX)]


class BoundedDateTimeField(forms.DateTimeField):
    """A form field for times the product stores."""

    default_validators = [validate_datetime]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(_("The year must be between %(year_min)s and %(year_max)s.") % {
                "year_min": YEAR_MIN, "year_max": YEAR_MAX},
                                  code="out_of_range") from None


def bounded_int(value: str | int | None, *, minimum: int = 1, maximum: int = BIGINT_MAX) -> int | None:
    """An integer from untrusted text (query strings, form posts), or None when it is not one or
    lies outside [minimum, maximum]."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None
