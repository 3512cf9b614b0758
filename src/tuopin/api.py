"""The REST API: one NinjaAPI, token authentication, one router per app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

from tuopin.accounts.api import router as accounts_router
from tuopin.accounts.services import token_authenticate
from tuopin.areas.api import router as areas_router
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied


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


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = (
        409
        if isinstance(exc, ConcurrentEdit)
        else 403
        if isinstance(exc, PermissionDenied)
        else 400
    )
    return api.create_response(
        request, {"code": exc.code, "message": str(exc), "field": exc.field}, status=status
    )
