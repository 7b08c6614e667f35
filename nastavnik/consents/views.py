from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nastavnik.accounts.access import access_for
from nastavnik.consents import services
from nastavnik.consents.forms import ConsentForm, WithdrawForm
from nastavnik.consents.models import PROCESSING_PURPOSES, ConsentPurpose, GivenBy
from nastavnik.consents.selectors import (
    consent_attention_list,
    consent_can_manage,
    consent_can_withdraw,
    consent_get,
    consent_text_current,
    is_minor,
    person_consents,
    processing_block_reason,
    withdrawal_refusal,
)
from nastavnik.consents.subject_access import person_data_export
from nastavnik.core.audit import audit
from nastavnik.organizations.selectors import staff_organization_list
from nastavnik.people.selectors import person_get


@login_required
@require_GET
def attention_list(request: HttpRequest) -> HttpResponse:
    """People whose consent is missing or expires within 30 days."""
    organizations = list(staff_organization_list(user=request.user))
    if not organizations:
        raise PermissionDenied
    states = consent_attention_list(user=request.user)
    page = Paginator(states, settings.NASTAVNIK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consents/attention_list.html",
        {
            "page": page,
            "states": page.object_list,
            "missing_count": sum(1 for s in states if s.missing),
            "expiring_count": sum(1 for s in states if s.expiring and not s.missing),
            "organizations": organizations,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_consents_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    can_manage = consent_can_manage(user=request.user, person=person)
    if not can_manage and person.user_id != access_for(request.user).user_id:
        raise PermissionDenied
    minor = is_minor(person)
    form = ConsentForm(
        request.POST or None,
        initial={"given_by": GivenBy.PARENT if minor else GivenBy.PERSON},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.consent_record(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The consent has been recorded."))
                return redirect("consents:person", person_id=person.pk)
    return render(
        request,
        "consents/person.html",
        {
            "person": person,
            "consents": person_consents(user=request.user, person=person),
            "form": form,
            "can_manage": can_manage,
            "can_withdraw": consent_can_withdraw(user=request.user, person=person),
            "block_reason": processing_block_reason(person),
            "is_minor": minor,
            "purposes": ConsentPurpose.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Withdraw a consent after an explicit confirmation (the person's surname typed), on a page
    that says what will happen; only a curator, never for oneself (``services``)."""
    consent = consent_get(user=request.user, consent_id=consent_id)
    person = consent.person
    if not access_for(request.user).is_curator_of(person.organization_id):
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        messages.info(request, _("The consent has already been withdrawn."))
        return redirect("consents:person", person_id=person.pk)
    refusal = withdrawal_refusal(user=request.user, consent=consent)
    form = WithdrawForm(request.POST or None, expected=person.last_name)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if consent.purpose == ConsentPurpose.PHOTO:
                messages.success(request, _("The consent has been withdrawn."))
                return redirect("consents:person", person_id=person.pk)
            messages.success(
                request,
                _(
                    "The consent has been withdrawn; the person's data have been anonymized "
                    "everywhere."
                ),
            )
            return redirect("consents:list")
    return render(
        request,
        "consents/withdraw.html",
        {
            "consent": consent,
            "person": person,
            "form": form,
            "refusal": refusal,
            "anonymizes": consent.purpose in PROCESSING_PURPOSES,
            "has_login": person.user_id is not None,
        },
        status=200 if request.method == "GET" or refusal is None else 400,
    )


@login_required
@require_GET
def consent_form_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """The printable consent form, filled with the person's data, to be signed on paper."""
    person = person_get(user=request.user, person_id=person_id)
    if not consent_can_manage(user=request.user, person=person):
        raise PermissionDenied
    purpose = request.GET.get("purpose", ConsentPurpose.PERSONAL_DATA)
    if purpose not in ConsentPurpose.values:
        raise Http404
    text = consent_text_current(purpose)
    html = render_to_string(
        "consents/form_pdf.html",
        {
            "person": person,
            "organization": person.organization,
            "text": text,
            "paragraphs": text.body.split("\n"),
            "is_minor": is_minor(person),
            "today": timezone.localdate(),
        },
    )
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="consent-{purpose}-{person.pk}.pdf"'
    return response


@login_required
@require_GET
def person_data_download(request: HttpRequest, person_id: int) -> HttpResponse:
    """Subject access: everything stored about the person, as JSON."""
    person = person_get(user=request.user, person_id=person_id)
    if not consent_can_manage(user=request.user, person=person) and (
        person.user_id is None or person.user_id != access_for(request.user).user_id
    ):
        raise PermissionDenied
    audit(actor=request.user, action="person.subject_access", obj=person, person_id=person.pk)
    body = json.dumps(
        person_data_export(person=person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response
