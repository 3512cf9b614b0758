"""``{% file_actions %}``: the household list's import and export buttons."""

from __future__ import annotations

from typing import Any

from django import template

from tuopin.registry.views_files import file_actions_context

register = template.Library()


@register.inclusion_tag("registry/_file_actions.html", takes_context=True)
def file_actions(context: dict[str, Any]) -> dict[str, Any]:
    return file_actions_context(context["request"])
