"""The REST API: one NinjaAPI, token authentication, one router per app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

from tuopin.accounts.api import router as accounts_router
from tuopin.accounts.services import token_authenticate
from tuopin.areas.api import router as areas_router
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied, ValidationFailed
from tuopin.registry.api import router as registry_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``; the request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Tuopin API",
    version="1",
    description=(
        "Poverty-alleviation registry and monitoring. Every call acts as the token's user "
        "and sees only the areas granted to that user."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/areas", areas_router)
api.add_router("/registry", registry_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Refusals as JSON: a stable code, the message in the caller's language, the field."""
    status = 400
    if isinstance(exc, ConcurrentEdit):
        status = 409
    elif isinstance(exc, PermissionDenied):
        status = 403
    body: dict[str, Any] = {"code": exc.code, "message": str(exc), "field": exc.field}
    if isinstance(exc, ValidationFailed):
        body["errors"] = [{"code": e.code, "message": str(e), "field": e.field} for e in exc.errors]
    return api.create_response(request, body, status=status)
