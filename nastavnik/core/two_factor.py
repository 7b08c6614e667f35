"""Optional two-factor login (TOTP, django-otp) for curators, heads and administrators.

A user who has a confirmed authenticator app must enter its six-digit code after the password on
every login: ``TwoFactorMiddleware`` lets such a session reach only the code page and the logout
until the code is given. Turning it on (a QR code to scan, then a code to confirm) and off (a
code again) is the user's own; an administrator removes a lost device in the admin
(django-otp's «TOTP devices»). Every change is written to the audit log.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from nastavnik.accounts.access import Actor, access_for, actor_user
from nastavnik.accounts.models import User
from nastavnik.core.audit import audit

ISSUER = "Наставник"


def two_factor_allowed(actor: Actor) -> bool:
    """Curators, heads and administrators may protect their login with a second factor."""
    access = access_for(actor)
    return access.is_admin or bool(access.staff_org_ids)


def _user(actor: Actor) -> User:
    user = actor_user(actor)
    if user is None or not two_factor_allowed(actor):
        raise PermissionDenied(_("Two-factor login is for curators, heads and administrators."))
    return user


def _check(device: TOTPDevice, code: str) -> None:
    if not (code.isdigit() and len(code) == 6 and device.verify_token(code)):
        raise ValidationError(
            _("The code is wrong or has expired: enter the six digits the app shows now.")
        )


# --- services -------------------------------------------------------------------------------


def totp_start(*, actor: Actor) -> TOTPDevice:
    """A new unconfirmed authenticator for ``actor`` (an earlier unconfirmed one is replaced)."""
    user = _user(actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)


def totp_confirm(*, actor: Actor, code: str) -> TOTPDevice:
    """Confirm the pending authenticator by a code it shows; from now on logins ask for one."""
    user = _user(actor)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise ValidationError(_("Start again: scan a new QR code."))
        _check(device, code)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit(actor=user, action="auth.two_factor_on")
        return device


def totp_disable(*, actor: Actor, code: str) -> None:
    """Turn the second factor off; the code proves the app is still at hand."""
    user = _user(actor)
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        if not devices:
            raise ValidationError(_("Two-factor login is not on."))
        if not any(
            code.isdigit() and len(code) == 6 and device.verify_token(code) for device in devices
        ):
            raise ValidationError(
                _("The code is wrong or has expired: enter the six digits the app shows now.")
            )
        TOTPDevice.objects.filter(user=user).delete()
        audit(actor=user, action="auth.two_factor_off")


def totp_verify(*, request: HttpRequest, code: str) -> None:
    """The second step of a login: mark the session verified by a code of the user's device."""
    user = request.user
    assert isinstance(user, User)
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if code.isdigit() and len(code) == 6 and device.verify_token(code):
            otp_login(request, device)
            audit(actor=user, action="auth.two_factor_passed")
            return
    audit(actor=user, action="auth.two_factor_failed")
    raise ValidationError(
        _("The code is wrong or has expired: enter the six digits the app shows now.")
    )


# --- pages ----------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if not two_factor_allowed(request.user):
        raise PermissionDenied(_("Two-factor login is for curators, heads and administrators."))
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    pending = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=False).first()
    if request.method == "POST":
        try:
            if action == "start":
                pending = totp_start(actor=request.user)
            elif action in ("confirm", "disable") and form.is_valid():
                code = form.cleaned_data["code"]
                if action == "confirm":
                    device = totp_confirm(actor=request.user, code=code)
                    otp_login(request, device)
                    request.session[SESSION_KEY] = True
                    messages.success(request, _("Two-factor login is on."))
                else:
                    totp_disable(actor=request.user, code=code)
                    request.session.pop(SESSION_KEY, None)
                    messages.success(request, _("Two-factor login is off."))
                return redirect("core:two_factor")
        except ValidationError as error:
            form.add_error("code", error)
    enabled = user_has_device(request.user, confirmed=True)
    return render(
        request,
        "core/two_factor.html",
        {
            "enabled": enabled,
            "pending": pending if not enabled else None,
            "qr": _qr_svg(pending) if pending is not None and not enabled else "",
            "secret": _secret(pending) if pending is not None and not enabled else "",
            "form": form,
        },
    )


def _secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    if not user_has_device(request.user, confirmed=True):
        # the device was removed (by an administrator): nothing to ask any more
        request.session.pop(SESSION_KEY, None)
        return redirect(next_url or "core:home")
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url or "core:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_verify(request=request, code=form.cleaned_data["code"])
            return redirect(next_url or "core:home")
        except ValidationError as error:
            form.add_error("code", error)
    return render(request, "core/two_factor_verify.html", {"form": form, "next": next_url})


# The session remembers at the login whether the user has a confirmed device, so that the
# middleware asks the database nothing on the requests of everybody else.
SESSION_KEY = "nastavnik_two_factor"


@receiver(user_logged_in, dispatch_uid="nastavnik.core.two_factor_at_login")
def _remember_two_factor(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_has_device(user, confirmed=True)


class TwoFactorMiddleware:
    """A session of a user with a confirmed device reaches only the code page until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not request.user.is_verified()  # type: ignore[attr-defined]
        ):
            verify = reverse("core:two_factor_verify")
            if request.path not in (verify, reverse("accounts:logout")):
                return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
