"""Pages of the library: search with filters, a resource's page and file, and the curator's
adding, changing and removing of the organization's own resources."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.library import selectors, services
from nastavnik.library.forms import LibrarySearchForm, ResourceForm
from nastavnik.library.models import Resource


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None)
    hits: list[selectors.Hit] = []
    read_as: list[str] = []
    query = ""
    if form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        query = data.get("q") or ""
        hits, read_as = selectors.resource_search(
            user=request.user,
            query=query,
            kind=data.get("kind") or "",
            form_id=data["form"].pk if data.get("form") else None,
            model_id=data["model"].pk if data.get("model") else None,
        )
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "hits": hits,
            "read_as": read_as,
            "query": query,
            "can_add": selectors.curated_organizations(user=request.user).exists(),
        },
    )


@login_required
@require_GET
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, resource_id=resource_id)
    may_edit = resource.organization_id is not None and access_for(request.user).is_curator_of(
        resource.organization_id
    )
    return render(request, "library/detail.html", {"resource": resource, "may_edit": may_edit})


@login_required
@require_GET
def resource_file(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, resource_id=resource_id)
    if not resource.attachment:
        raise Http404
    # Files are small (the upload limit): answered whole, with the original name.
    with resource.attachment.open("rb") as stored:
        response = HttpResponse(
            stored.read(), content_type=resource.attachment_type or "application/octet-stream"
        )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=resource.attachment_name) or ""
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    organizations = selectors.curated_organizations(user=request.user)
    if not organizations.exists():
        messages.error(request, _("Only a curator adds resources to the library."))
        return redirect("library:list")
    form = ResourceForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                actor=request.user,
                organization_id=data["organization"].pk,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                url=data["url"],
                form=data["form"],
                model=data["model"],
                upload=data["attachment"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The resource is added to the library."))
            return redirect("library:detail", resource_id=resource.pk)
    return render(
        request,
        "library/edit.html",
        {"form": form, "resource": None, "max_mb": services.max_file_mb()},
    )


def _initial(resource: Resource) -> dict[str, object]:
    return {
        "title": resource.title,
        "kind": resource.kind,
        "summary": resource.summary,
        "body": resource.body,
        "form": resource.form_id,
        "model": resource.model_id,
        "url": resource.url,
    }


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.own_resource_get(user=request.user, resource_id=resource_id)
    form = ResourceForm(request.POST or None, request.FILES or None, initial=_initial(resource))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_update(
                actor=request.user,
                resource=resource,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                url=data["url"],
                form=data["form"],
                model=data["model"],
                upload=data["attachment"],
                remove_file=data["remove_file"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("library:detail", resource_id=resource.pk)
    return render(
        request,
        "library/edit.html",
        {"form": form, "resource": resource, "max_mb": services.max_file_mb()},
    )


@login_required
@require_POST
def resource_delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.own_resource_get(user=request.user, resource_id=resource_id)
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, _("The resource is removed from the library."))
    return redirect("library:list")
