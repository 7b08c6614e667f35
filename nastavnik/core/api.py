"""What every router of the REST API shares: one paging, Russian errors, declared error codes.

- ``Paging``: ``limit`` 1–100 (50 by default) and ``offset`` 0–1 000 000 for every list endpoint;
  ``paginated`` is its decorator (``@paginated`` under ``@router.get(..., response=list[X])``).
- ``Api``: the NinjaAPI whose errors answer in Russian (401, 403, 404 and 422 with a sentence
  per wrong parameter) and whose OpenAPI schema declares those codes for every operation.
- ``PersonName``: a name in an input schema, checked by ``core.validators.validate_person_name``;
  ``Day`` / ``Moment``: a date / a moment in an input schema, from 1900 to 2100.
- ``created``: the decorator of every creating write: the answer is 201 with the object in the
  declared schema, and an ``Idempotency-Key`` header makes a retry safe (``IdempotencyKey``: the
  same key and body from the same token or login get the first answer again; another body 409;
  two concurrent requests meet on the key's unique constraint).
- A service's ``django.core.exceptions.ValidationError`` answers 422 with a sentence per field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator

from nastavnik.accounts.models import IdempotencyKey
from nastavnik.core.validators import validate_person_name

PAGE_DEFAULT = 50
PAGE_MAX = 100
OFFSET_MAX = 1_000_000


class Paging(LimitOffsetPagination):
    """Limit and offset, both bounded: a huge value is a 422, never a 500 or the whole table."""

    class Input(Schema):
        limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX, **kwargs)


def paginated(func: Callable[..., Any]) -> Callable[..., Any]:
    """``@paginate(Paging)``: the one paging of every list endpoint. The view's annotations
    (strings under ``from __future__ import annotations``) are resolved in its own module first,
    or ninja would look for a query parameter's type in the pagination's module."""
    func.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]
    return paginate(Paging)(func)


def _checked_name(value: str) -> str:
    try:
        validate_person_name(value)
    except DjangoValidationError as exc:
        raise ValueError(" ".join(str(m) for m in exc.messages)) from exc
    return value


PersonName = Annotated[str, AfterValidator(_checked_name)]

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def _checked_date(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            _("must be between %(first)s and %(last)s")
            % {
                "first": EARLIEST_DATE.strftime("%d.%m.%Y"),
                "last": LATEST_DATE.strftime("%d.%m.%Y"),
            }
        )
    return value


def _checked_moment(value: dt.datetime) -> dt.datetime:
    _checked_date(value.date())
    return value


# A date or a moment in an input schema: 1900–2100, so no arithmetic on it ever overflows.
Day = Annotated[dt.date, AfterValidator(_checked_date)]
Moment = Annotated[dt.datetime, AfterValidator(_checked_moment)]


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[ProblemOut]


ERROR_RESPONSES: dict[int, tuple[type[Schema], str]] = {
    400: (ErrorOut, "The request body is not JSON"),
    401: (ErrorOut, "Not signed in, or the token is unknown"),
    403: (ErrorOut, "Forbidden"),
    404: (ErrorOut, "Not found, or not visible to the acting user"),
    409: (ErrorOut, "The Idempotency-Key was used with another request"),
    422: (ValidationErrorOut, "A parameter is out of range or malformed"),
}


def _problem_message(error: dict[str, Any]) -> str:
    """A Russian sentence for one pydantic error (its English ``msg`` is not shown)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most %(limit)s") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least %(limit)s") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind.startswith("int_"):
        return _("must be a whole number")
    if kind == "missing":
        return _("is required")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return _("has a wrong value")


def _field_name(loc: list[Any]) -> str:
    names = [str(part) for part in loc if part not in ("query", "path", "body")]
    return ".".join(names) or "?"


def _validation_error(request: HttpRequest, exc: ValidationError, api: Api) -> HttpResponse:
    problems = []
    sentences = []
    for error in exc.errors:
        message = _problem_message(error)
        loc = list(error.get("loc", []))
        problems.append({"loc": loc, "msg": message, "type": error.get("type", "")})
        sentences.append(
            _("«%(field)s» %(message)s") % {"field": _field_name(loc), "message": message}
        )
    detail = _("Wrong request parameters: %(list)s.") % {"list": "; ".join(sentences)}
    return api.create_response(request, {"detail": detail, "errors": problems}, status=422)


def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: Api
) -> HttpResponse:
    """A service refused the data (``full_clean``, a rule): 422 with the field of each message."""
    problems: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    loc = ["body", name] if name != "__all__" else ["body"]
                    problems.append({"loc": loc, "msg": message, "type": "invalid"})
    else:
        problems = [{"loc": ["body"], "msg": m, "type": "invalid"} for m in exc.messages]
    detail = " ".join(p["msg"] for p in problems) or _("The data are wrong.")
    return api.create_response(request, {"detail": detail, "errors": problems}, status=422)


def _http_error(request: HttpRequest, exc: HttpError, api: Api) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse"):
        message = _("The request body is not valid JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def unknown_value(field: str) -> DjangoValidationError:
    """A 422 for an identifier or a name that names nothing the operation can use."""
    return DjangoValidationError(
        {field: _("There is no such value here: check the identifier or the name.")}
    )


def foreign_value(field: str) -> DjangoValidationError:
    """A 422 for an object of the caller's organization that belongs to another parent."""
    return DjangoValidationError({field: _("It belongs to another program or pair.")})


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255


def _request_hash(request: HttpRequest) -> str:
    body = request.body
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body or b"null"), sort_keys=True).encode()
    digest = hashlib.sha256()
    for part in (request.method or "").encode(), request.path.encode(), body:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _owner(request: HttpRequest) -> str:
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"


def _json(body: Any, status: int, replayed: bool = False) -> JsonResponse:
    response = JsonResponse(body, status=status, encoder=DjangoJSONEncoder, safe=False)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def created(schema: type[Schema], status: int = 201) -> Callable[..., Any]:
    """Decorate a creating write (under ``@router.post(..., response={201: schema})``): the
    returned object answers ``status`` in ``schema``; with an ``Idempotency-Key`` header the
    first answer is stored and a retry with the same key and body gets it again, unchanged."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        def render(request: HttpRequest, result: Any) -> Any:
            context = {"request": request, "response_status": status}
            return schema.model_validate(result, context=context).model_dump(mode="json")

        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
            if not key:
                return _json(render(request, func(request, *args, **kwargs)), status)
            if len(key) > IDEMPOTENCY_KEY_MAX:
                raise HttpError(
                    400,
                    _("The Idempotency-Key header is longer than %(max)s characters.")
                    % {"max": IDEMPOTENCY_KEY_MAX},
                )
            owner, digest = _owner(request), _request_hash(request)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            owner=owner, key=key, request_hash=digest, status_code=0
                        )
                except IntegrityError:
                    # Another request with this key got there first; its transaction has ended
                    # (the unique index made this insert wait for it), so its answer is stored.
                    record = IdempotencyKey.objects.select_for_update().get(owner=owner, key=key)
                    if record.request_hash != digest:
                        return _json(
                            {
                                "detail": _(
                                    "This Idempotency-Key was already used with another "
                                    "request. Use a new key for a new request."
                                )
                            },
                            409,
                        )
                    return _json(record.response_body, record.status_code, replayed=True)
                body = render(request, func(request, *args, **kwargs))
                record.status_code = status
                record.response_body = body
                record.save(update_fields=["status_code", "response_body"])
            return _json(body, status)

        # The view's annotations are strings of its own module (``from __future__ import
        # annotations``): resolve them there, or ninja would look in this module.
        wrapper.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]
        return wrapper

    return decorate


class Api(NinjaAPI):
    """NinjaAPI with Russian error answers and every error code declared in the schema."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_exception_handler(
            ValidationError,
            lambda request, exc: _validation_error(request, exc, self),  # type: ignore[arg-type]
        )
        self.add_exception_handler(
            AuthenticationError,
            lambda request, exc: self.create_response(
                request, {"detail": _("Sign in or pass an API token.")}, status=401
            ),
        )
        self.add_exception_handler(
            Http404,
            lambda request, exc: self.create_response(
                request, {"detail": _("Not found.")}, status=404
            ),
        )
        self.add_exception_handler(
            PermissionDenied,
            lambda request, exc: self.create_response(
                request, {"detail": str(exc) or _("You may not do this.")}, status=403
            ),
        )
        self.add_exception_handler(
            DjangoValidationError,
            lambda request, exc: _django_validation_error(request, exc, self),  # type: ignore[arg-type]
        )
        self.add_exception_handler(
            HttpError,
            lambda request, exc: _http_error(request, exc, self),  # type: ignore[arg-type]
        )

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model, _description in ERROR_RESPONSES.values():
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, nested in definition.pop("$defs", {}).items():
                components.setdefault(name, nested)
            components.setdefault(model.__name__, definition)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for code, (model, description) in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                                }
                            },
                        },
                    )
        return schema
