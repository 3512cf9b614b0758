from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from conftest import BADANJILIN, EJINA, PASSWORD, RIGHT_BANNER
from tuopin.accounts.models import Grant, LoginFailure, User
from tuopin.accounts.selectors import audit_list, user_queryset
from tuopin.accounts.services import (
    grant_add,
    grant_revoke,
    token_create,
    token_revoke,
    user_create,
    user_set_password,
    user_update,
)
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.models import AuditEntry


@pytest.fixture
def youqi_admin(alxa, make_user):
    return make_user("youqi_admin", ("system_admin", RIGHT_BANNER))


def test_banner_administrator_grants_within_the_banner_only(youqi_admin, outsider, area):
    grant_add(actor=youqi_admin, user=outsider, role="gaqa_cadre", area=area(BADANJILIN))
    with pytest.raises(PermissionDenied):
        grant_add(actor=youqi_admin, user=outsider, role="gaqa_cadre", area=area(EJINA))
    assert list(Grant.objects.filter(user=outsider).values_list("area__code", flat=True)) == [
        BADANJILIN
    ]


def test_only_a_whole_tree_administrator_hands_out_the_administrator_role(
    youqi_admin, admin, outsider, area
):
    with pytest.raises(PermissionDenied):
        grant_add(actor=youqi_admin, user=outsider, role="system_admin", area=area(BADANJILIN))
    grant_add(actor=admin, user=outsider, role="system_admin", area=area(BADANJILIN))


def test_roles_without_user_management_cannot_grant(league_officer, outsider, area):
    with pytest.raises(PermissionDenied):
        grant_add(actor=league_officer, user=outsider, role="analyst", area=area(RIGHT_BANNER))


def test_a_banner_administrator_manages_only_users_in_the_banner(
    youqi_admin, banner_officer, ejina_officer, gaqa_cadre
):
    managed = set(user_queryset(user=youqi_admin).values_list("username", flat=True))
    assert {"officer_youqi", "cadre_badanjilin", "youqi_admin"} <= managed
    assert "officer_ejina" not in managed
    with pytest.raises(PermissionDenied):
        user_update(actor=youqi_admin, user=ejina_officer, display_name="x")


def test_a_weak_password_is_refused(admin):
    with pytest.raises(DomainError) as refused:
        user_create(actor=admin, username="newbie", password="123")
    assert refused.value.field == "password"
    assert not User.objects.filter(username="newbie").exists()


def test_every_account_write_leaves_an_audit_row(admin, area):
    count = AuditEntry.objects.count

    def audited(action: str, before: int) -> None:
        assert count() == before + 1
        assert AuditEntry.objects.latest("id").action == action
        assert AuditEntry.objects.latest("id").actor == admin

    n = count()
    user = user_create(actor=admin, username="newbie", password=PASSWORD)
    audited("accounts.user.created", n)
    n = count()
    user_update(actor=admin, user=user, display_name="新人")
    audited("accounts.user.updated", n)
    n = count()
    user_set_password(actor=admin, user=user, password=PASSWORD + "!")
    audited("accounts.user.password_set", n)
    n = count()
    grant = grant_add(actor=admin, user=user, role="analyst", area=area(RIGHT_BANNER))
    audited("accounts.grant.added", n)
    assert AuditEntry.objects.latest("id").area_code == RIGHT_BANNER
    n = count()
    grant_revoke(actor=admin, grant=grant)
    audited("accounts.grant.revoked", n)
    n = count()
    token, _key = token_create(actor=admin, user=user, name="t")
    audited("accounts.token.created", n)
    n = count()
    token_revoke(actor=admin, token=token)
    audited("accounts.token.revoked", n)


def test_a_user_without_changes_leaves_no_audit_row(admin, outsider):
    n = AuditEntry.objects.count()
    user_update(actor=admin, user=outsider, display_name="")
    assert AuditEntry.objects.count() == n


def test_repeated_failed_sign_ins_lock_the_name(client, outsider, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(
            "/accounts/login/", {"username": "outsider", "password": "wrong-password"}
        )
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="outsider").count() == 3
    locked = client.post("/accounts/login/", {"username": "outsider", "password": PASSWORD})
    assert locked.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.login.failed").count() == 3


def test_a_successful_sign_in_is_audited_and_clears_failures(client, outsider):
    client.post("/accounts/login/", {"username": "outsider", "password": "nope-nope-nope"})
    response = client.post("/accounts/login/", {"username": "outsider", "password": PASSWORD})
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="outsider").exists()
    assert AuditEntry.objects.filter(action="accounts.login.succeeded", actor=outsider).exists()


def test_an_idle_session_expires(client, league_officer, settings):
    client.force_login(league_officer)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_audit_log_of_a_banner_holds_only_its_areas(league_officer, make_user, area):
    grant_add(actor=None, user=league_officer, role="analyst", area=area(RIGHT_BANNER))
    grant_add(actor=None, user=league_officer, role="analyst", area=area(EJINA))
    youqi_auditor = make_user("youqi_auditor", ("league_officer", RIGHT_BANNER))
    seen = set(audit_list(user=youqi_auditor).values_list("area_code", flat=True))
    assert RIGHT_BANNER in seen
    assert EJINA not in seen
    assert all(code.startswith("152922") for code in seen)


def test_user_pages_let_an_administrator_add_a_grant(client_for, admin, outsider):
    client = client_for(admin)
    page = client.get(f"/accounts/users/{outsider.pk}/")
    assert page.status_code == 200
    response = client.post(
        f"/accounts/users/{outsider.pk}/",
        {"form": "grant", "role": "gaqa_cadre", "area_code": BADANJILIN},
    )
    assert response.status_code == 302
    assert Grant.objects.filter(user=outsider, area__code=BADANJILIN).exists()


def test_user_pages_refuse_a_grant_outside_the_managers_areas(client_for, make_user, outsider):
    youqi_admin = make_user("youqi_admin2", ("system_admin", RIGHT_BANNER))
    grant_add(
        actor=None, user=outsider, role="analyst", area=Grant.objects.get(user=youqi_admin).area
    )
    client = client_for(youqi_admin)
    response = client.post(
        f"/accounts/users/{outsider.pk}/",
        {"form": "grant", "role": "gaqa_cadre", "area_code": EJINA},
    )
    assert response.status_code == 200
    assert not Grant.objects.filter(user=outsider, area__code=EJINA).exists()
