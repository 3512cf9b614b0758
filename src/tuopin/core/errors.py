"""Domain errors: what a service refuses, with a stable code and a translatable message."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal by a service: bad input, a broken rule, a stale edit.

    ``code`` is stable and namespaced (``areas.import.unknown_parent``) so API clients can act
    on it; ``message`` is lazily translated and may hold ``%(name)s`` placeholders filled from
    ``params``; ``field`` names the input at fault when there is one.
    """

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.params = params or {}
        super().__init__(code)

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class PermissionDenied(DomainError):
    """The actor may not do this here (never says whether the target exists)."""


class ConcurrentEdit(DomainError):
    """The record changed since the actor loaded it; nothing was written."""


class ValidationFailed(DomainError):
    """Input that cannot be accepted; ``errors`` holds one DomainError per problem."""

    def __init__(self, errors: list[DomainError], message: str | Promise = "") -> None:
        self.errors = errors
        super().__init__("validation_failed", message or (str(errors[0]) if errors else ""))
