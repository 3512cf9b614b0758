"""``field__any_of=[…]``: membership in a long list, as fast as each database allows.

Django's ``__in`` sends one parameter per value, which for lists of thousands costs more
in preparing the query than in running it. On PostgreSQL ``any_of`` sends the whole list
as one array (``= ANY(%s)``); elsewhere it is a plain ``IN``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({marks})", [*lhs_params, *values]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


models.CharField.register_lookup(AnyOf)
models.IntegerField.register_lookup(AnyOf)
models.BigAutoField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)
