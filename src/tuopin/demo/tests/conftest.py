from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from tuopin.accounts.models import User
from tuopin.demo.services import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo data, loaded once for a test module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def league(demo: Any, db: Any) -> User:
    """The league officer of the demo: sees the whole league."""
    return User.objects.get(username="league")
