from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetup.accounts import services
from meetup.accounts.forms import ProfileForm, TokenForm
from meetup.accounts.models import ConsentRecord
from meetup.lib.forms import add_errors


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=user, source=ConsentRecord.Source.PROFILE, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect("profile")
    else:
        form = ProfileForm(initial={
            "display_name": user.display_name, "pronouns": user.pronouns, "phone": user.phone,
            "sms_opt_in": user.sms_opt_in, "email_opt_in": user.email_opt_in,
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
    name = form.cleaned_data["name"] if form.is_valid() else "API token"
    _, key = services.api_token_issue(user=request.user, name=name)
    # Shown once on the next page and then forgotten; only its hash is stored.
    request.session["new_api_token"] = key
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    if services.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "Token revoked.")
    return redirect("profile")
