from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class GrantOut(Schema):
    role: str
    area_code: str
    area_name: str


class MeOut(Schema):
    username: str
    display_name: str
    grants: list[GrantOut]


@router.get("/me", response=MeOut, summary="The token's user and their grants")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    grants = [
        GrantOut(role=g.role, area_code=g.area.code, area_name=g.area.name)
        for g in user.grants.select_related("area").order_by("area__lft")
    ]
    return MeOut(username=user.username, display_name=user.display_name, grants=grants)
