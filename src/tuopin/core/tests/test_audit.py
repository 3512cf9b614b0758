from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tuopin.core.audit import diff_of, log_action, log_personal_view
from tuopin.core.models import AppendOnlyError, AuditEntry


@pytest.fixture
def entry(db):
    with transaction.atomic():
        return log_action(actor=None, action="test.thing.done", diff={"a": [1, 2]})


def test_console_actions_are_logged_as_the_console(entry):
    assert entry.actor is None
    assert entry.actor_name == "console"
    assert entry.diff == {"a": [1, 2]}


def test_audit_entry_cannot_be_changed_through_the_orm(entry):
    entry.action = "test.thing.undone"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")


def test_audit_entry_cannot_be_deleted_through_the_orm(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_database_itself_refuses_to_update_an_audit_row(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = %s WHERE id = %s", ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_to_delete_an_audit_row(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_write_logged_outside_its_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        log_action(actor=None, action="test.thing.done")


def test_personal_data_view_names_who_saw_which_fields(db, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x-long-password-1")
    subject = django_user_model.objects.create_user("subject", password="x-long-password-2")
    entry = log_personal_view(actor=viewer, subject=subject, fields=["phone", "id_number"])
    assert entry.kind == "view"
    assert entry.actor_name == "viewer"
    assert entry.action == "accounts.user.personal_data_viewed"
    assert entry.diff["fields"] == ["id_number", "phone"]
    assert entry.object_id == str(subject.pk)


def test_diff_keeps_only_changed_fields():
    assert diff_of({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
