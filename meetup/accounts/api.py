from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict, Field, StrictBool, StrictStr

from meetup.accounts import privacy, services
from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.roles import is_organiser

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    email: str
    display_name: str
    hub_username: str
    pronouns: str
    phone: str | None
    sms_opt_in: bool
    email_opt_in: bool
    language: str
    is_organiser: bool


class MePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    display_name: StrictStr | None = Field(None, max_length=80)
    hub_username: StrictStr | None = Field(None, max_length=96, description="your Hugging Face Hub username")
    pronouns: StrictStr | None = Field(None, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$")
    phone: StrictStr | None = Field(None, description="E.164, e.g. +14155550123; null or \"\" removes it")
    # Omitted means unchanged; null is not a choice.
    sms_opt_in: StrictBool = None
    email_opt_in: StrictBool = None
    language: StrictStr = Field(None, description="The language of messages to you: en or fr")


def _me(user) -> MeOut:
    return MeOut(
        id=user.pk, username=user.username, email=user.email, display_name=user.display_name,
        hub_username=user.hub_username, pronouns=user.pronouns,
        phone=str(user.phone) if user.phone else None, sms_opt_in=user.sms_opt_in,
        email_opt_in=user.email_opt_in, language=user.language, is_organiser=is_organiser(user),
    )


@router.get("/me", response=MeOut, summary="Your profile")
def me_get(request):
    return _me(request.user)


@router.patch("/me", response=MeOut, summary="Change your profile and consent")
def me_patch(request, payload: MePatch):
    changes = payload.model_dump(exclude_unset=True)
    services.profile_update(user=request.user, source=ConsentRecord.Source.API, **changes)
    return _me(request.user)


@router.get("/me/export", summary="Everything about you, as a ZIP of JSON files",
            response={200: None, 413: dict, 429: dict})
def me_export(request):
    archive = privacy.personal_data_export(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.now():%Y-%m-%d}.zip"'
    response["Cache-Control"] = "no-store"
    return response


class DeletionCodeOut(Schema):
    sent_to: str
    expires_at: str


@router.post("/me/deletion-code", response={202: DeletionCodeOut},
             summary="Email yourself a code that confirms your account's deletion")
def me_deletion_code(request):
    code = privacy.deletion_code_send(user=request.user)
    return 202, DeletionCodeOut(sent_to=request.user.email, expires_at=code.expires_at.isoformat())


class DeleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(..., max_length=32, description="The code emailed by POST /api/me/deletion-code")
    keep_content: StrictBool = Field(True, description="Keep your comments and solo projects as 'Deleted user'")


class StaffDeleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    keep_content: StrictBool = True


class DeletedOut(Schema):
    deleted: bool


@router.delete("/me", response=DeletedOut, summary="Delete your account (with the emailed code)")
def me_delete(request, payload: DeleteIn):
    privacy.account_delete(user=request.user, actor=request.user, code=payload.code,
                           keep_content=payload.keep_content)
    return DeletedOut(deleted=True)


@router.delete("/users/{user_id}", response=DeletedOut, summary="Staff: delete someone's account")
def user_delete(request, user_id: int, payload: StaffDeleteIn | None = None):
    if not (request.user.is_staff or request.user.is_superuser):
        raise Http404(_("No such person."))
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first() if 0 < user_id < 2**63 else None
    if user is None:
        raise Http404(_("No such person."))
    privacy.account_delete(user=user, actor=request.user, keep_content=payload.keep_content if payload else True)
    return DeletedOut(deleted=True)
