"""The personal API tokens page («API-ключи»): issue (the key shown once), list, revoke."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.accounts.forms import ApiTokenForm
from nastavnik.accounts.tokens import (
    organization_choices,
    territory_choices,
    token_get,
    token_issue,
    token_list,
    token_manager_may_create,
    token_revoke,
)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if not token_manager_may_create(request.user):
        raise PermissionDenied(_("Only curators and administrators manage API tokens."))
    form_kwargs = {
        "organizations": organization_choices(request.user),
        "territories": territory_choices(request.user),
    }
    new_key = ""
    new_token = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                new_token, new_key = token_issue(
                    actor=request.user,
                    name=data["name"],
                    can_write=data["can_write"],
                    days=data["days"],
                    organization_id=data.get("organization"),
                    territory_id=data.get("territory"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = ApiTokenForm(**form_kwargs)
    else:
        form = ApiTokenForm(**form_kwargs)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": token_list(user=request.user),
            "new_key": new_key,
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_get(user=request.user, token_id=token_id)
    token_revoke(actor=request.user, token=token)
    return redirect("accounts:tokens")
