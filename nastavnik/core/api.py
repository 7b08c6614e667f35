"""What every router of the REST API shares: one paging, Russian errors, declared error codes.

- ``Paging``: ``limit`` 1–100 (50 by default) and ``offset`` 0–1 000 000 for every list endpoint;
  ``paginated`` is its decorator (``@paginated`` under ``@router.get(..., response=list[X])``).
- ``Api``: the NinjaAPI whose errors answer in Russian (401, 403, 404 and 422 with a sentence
  per wrong parameter) and whose OpenAPI schema declares those codes for every operation.
- ``PersonName``: a name in an input schema, checked by ``core.validators.validate_person_name``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator

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
    """``@paginate(Paging)``: the one paging of every list endpoint."""
    return paginate(Paging)(func)


def _checked_name(value: str) -> str:
    try:
        validate_person_name(value)
    except DjangoValidationError as exc:
        raise ValueError(" ".join(str(m) for m in exc.messages)) from exc
    return value


PersonName = Annotated[str, AfterValidator(_checked_name)]


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
    401: (ErrorOut, "Not signed in, or the token is unknown"),
    403: (ErrorOut, "Forbidden"),
    404: (ErrorOut, "Not found, or not visible to the acting user"),
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
                request, {"detail": _("You may not do this.")}, status=403
            ),
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
