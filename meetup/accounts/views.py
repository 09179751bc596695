from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.accounts import personal_data, privacy, services
from meetup.accounts.forms import DeleteAccountForm, ProfileForm, TokenForm
from meetup.accounts.models import ConsentRecord
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                changes = {k: v for k, v in form.cleaned_data.items() if k != "language" or v}
                services.profile_update(user=user, source=ConsentRecord.Source.PROFILE, **changes)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("profile")
    else:
        form = ProfileForm(initial={
            "display_name": user.display_name, "pronouns": user.pronouns, "phone": user.phone,
            "hub_username": user.hub_username, "sms_opt_in": user.sms_opt_in, "email_opt_in": user.email_opt_in,
            "language": user.language,
        })
    return render(request, "accounts/profile.html", {
        "form": form,
        "token_form": TokenForm(),
        "tokens": user.api_tokens.all(),
        "consent_records": user.consent_records.all()[:20],
        "new_token": request.session.pop("new_api_token", None),
    })


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else _("API token")
    _token, key = services.api_token_issue(user=request.user, name=name)
    # Shown once on the next page and then forgotten; only its hash is stored.
    request.session["new_api_token"] = key
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    if services.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("Token revoked."))
    return redirect("profile")


@login_required
def your_data(request, form=None):
    user = request.user
    return render(request, "accounts/your_data.html", {
        "sections": [f"{s.name}.json" for s in personal_data.sections() if s.export],
        "blockers": privacy.deletion_blockers(user=user),
        "code_sent": user.deletion_codes.filter(used_at__isnull=True, expires_at__gt=timezone.now()).first(),
        "form": form or DeleteAccountForm(),
    })


@login_required
def your_data_export(request):
    try:
        archive = privacy.personal_data_export(user=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
        return redirect("your_data")
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.now():%Y-%m-%d}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def deletion_code_send(request):
    try:
        privacy.deletion_code_send(user=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("We sent a code to %(email)s. It works for %(minutes)s minutes.") % {
            "email": request.user.email, "minutes": privacy.CODE_MINUTES})
    return redirect("your_data")


@login_required
@require_POST
def account_delete(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return your_data(request, form=form)
    try:
        privacy.account_delete(user=request.user, actor=request.user, code=form.cleaned_data["code"],
                               keep_content=form.cleaned_data["content"] == "keep")
    except Refused as exc:
        form.add_error("code" if "code" in exc.code else None, exc.detail)
        return your_data(request, form=form)
    logout(request)
    messages.success(request, _("Your account is deleted. Thank you for coming to our meetups."))
    return redirect("home")
