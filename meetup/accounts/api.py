from ninja import Router, Schema
from pydantic import ConfigDict, Field, StrictBool, StrictStr

from meetup.accounts import services
from meetup.accounts.models import ConsentRecord
from meetup.accounts.roles import is_organiser

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    email: str
    display_name: str
    pronouns: str
    phone: str | None
    sms_opt_in: bool
    email_opt_in: bool
    is_organiser: bool


class MePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    display_name: StrictStr | None = Field(None, max_length=80)
    pronouns: StrictStr | None = Field(None, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$")
    phone: StrictStr | None = Field(None, description="E.164, e.g. +14155550123; null or \"\" removes it")
    # Omitted means unchanged; null is not a choice.
    sms_opt_in: StrictBool = None
    email_opt_in: StrictBool = None


def _me(user) -> MeOut:
    return MeOut(
        id=user.pk, username=user.username, email=user.email, display_name=user.display_name,
        pronouns=user.pronouns, phone=str(user.phone) if user.phone else None, sms_opt_in=user.sms_opt_in,
        email_opt_in=user.email_opt_in, is_organiser=is_organiser(user),
    )


@router.get("/me", response=MeOut, summary="Your profile")
def me_get(request):
    return _me(request.user)


@router.patch("/me", response=MeOut, summary="Change your profile and consent")
def me_patch(request, payload: MePatch):
    changes = payload.model_dump(exclude_unset=True)
    services.profile_update(user=request.user, source=ConsentRecord.Source.API, **changes)
    return _me(request.user)
