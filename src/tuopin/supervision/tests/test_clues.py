"""Problem clues: the six steps in order, the random re-review draw, and the reporter and
the person concerned visible to the discipline role alone — on pages and in exports."""

from __future__ import annotations

import datetime
import math

import pytest
from django.urls import reverse

from conftest import ALXA, RIGHT_BANNER
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.supervision import selectors, services
from tuopin.supervision.choices import ClueStatus, Finding
from tuopin.supervision.models import ReviewSample

D = datetime.date
REPORTER = "匿名群众张某"
CONTACT = "13900001111"
SUBJECT = "某嘎查会计"


@pytest.fixture
def clue(discipline, area):
    return services.clue_collect(
        actor=discipline,
        area=area(RIGHT_BANNER),
        source="petition",
        summary="反映低保评定优亲厚友",
        received_on=D(2020, 3, 2),
        reporter_name=REPORTER,
        reporter_contact=CONTACT,
        subject_name=SUBJECT,
        subject_post="嘎查会计",
    )


def _verified(discipline, area, finding, n):
    clues = []
    for i in range(n):
        c = services.clue_collect(
            actor=discipline,
            area=area(RIGHT_BANNER),
            source="audit",
            summary=f"线索{i}",
            received_on=D(2020, 1, 1),
        )
        c = services.clue_classify(actor=discipline, clue=c, category="work_style")
        c = services.clue_dispose(actor=discipline, clue=c, disposal="preliminary")
        c = services.clue_verify(
            actor=discipline, clue=c, finding=finding, verified_on=D(2020, 2, 1)
        )
        clues.append(c)
    return clues


def test_a_clue_walks_the_six_steps_in_order(clue, discipline):
    with pytest.raises(DomainError):
        services.clue_verify(actor=discipline, clue=clue, finding=Finding.SUBSTANTIATED)
    clue = services.clue_classify(actor=discipline, clue=clue, category="corruption")
    clue = services.clue_dispose(actor=discipline, clue=clue, disposal="preliminary")
    clue = services.clue_verify(
        actor=discipline, clue=clue, finding=Finding.SUBSTANTIATED, verified_on=D(2020, 4, 1)
    )
    clue = services.clue_hold_accountable(actor=discipline, clue=clue, accountability="party")
    clue = services.clue_apply_results(
        actor=discipline, clue=clue, results="纳入年度考核扣分，以案促改。"
    )
    assert clue.status == ClueStatus.APPLIED


def test_no_accountability_on_an_unsubstantiated_clue(discipline, area):
    (clue,) = _verified(discipline, area, Finding.UNSUBSTANTIATED, 1)
    with pytest.raises(DomainError) as exc:
        services.clue_hold_accountable(actor=discipline, clue=clue, accountability="party")
    assert exc.value.field == "accountability"


@pytest.mark.parametrize("persona", ["supervisor", "banner_officer", "analyst", "outsider"])
def test_only_the_discipline_role_works_clues(request, persona, clue, area):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.clue_classify(actor=actor, clue=clue, category="corruption")
    with pytest.raises(PermissionDenied):
        services.clue_collect(actor=actor, area=area(RIGHT_BANNER), source="audit", summary="x")


def test_review_draw_takes_at_least_20_and_50_percent_and_repeats_with_the_seed(discipline, area):
    substantiated = _verified(discipline, area, Finding.SUBSTANTIATED, 7)
    unsubstantiated = _verified(discipline, area, Finding.UNSUBSTANTIATED, 5)
    sample = services.review_sample_draw(actor=discipline, area=area(ALXA), seed=20200301)
    drawn = set(sample.clues.values_list("pk", flat=True))
    sub_ids = {c.pk for c in substantiated}
    unsub_ids = {c.pk for c in unsubstantiated}
    assert len(drawn & sub_ids) == math.ceil(0.2 * 7) == 2
    assert len(drawn & unsub_ids) == math.ceil(0.5 * 5) == 3
    assert sample.substantiated_pool == sorted(sub_ids)
    # The same pool and seed give the same draw.
    again = set(
        services.review_draw(
            sample.substantiated_pool, services.REVIEW_SHARE[Finding.SUBSTANTIATED], sample.seed
        )
    )
    assert again == drawn & sub_ids
    # Clues drawn once are not drawn again.
    with pytest.raises(DomainError) as exc:
        services.review_sample_draw(actor=discipline, area=area(ALXA), seed=1)
    assert exc.value.code == "supervision.clue.nothing_to_sample"


def test_supervisor_cannot_draw_samples(supervisor, area):
    with pytest.raises(PermissionDenied):
        services.review_sample_draw(actor=supervisor, area=area(ALXA), seed=1)
    assert not ReviewSample.objects.exists()


def test_reporter_is_visible_to_discipline_only(clue, discipline, supervisor, make_user):
    admin = make_user("sysadmin", ("system_admin", "150000000000"))
    assert selectors.clue_view(user=discipline, clue=clue).reporter_name == REPORTER
    for user in (supervisor, admin):
        view = selectors.clue_view(user=user, clue=clue)
        assert view.confidential_visible is False
        assert REPORTER not in (view.reporter_name, view.reporter_contact)
        assert view.subject_name != SUBJECT


@pytest.mark.parametrize("persona", ["supervisor", "admin_user"])
def test_pages_and_export_never_show_the_reporter_to_others(
    request, persona, clue, client_for, make_user
):
    user = (
        make_user("sysadmin", ("system_admin", "150000000000"))
        if persona == "admin_user"
        else request.getfixturevalue(persona)
    )
    client = client_for(user)
    for url in (
        reverse("supervision:clues"),
        reverse("supervision:clue", args=[clue.pk]),
        reverse("supervision:clue_export"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        for secret in (REPORTER, CONTACT, SUBJECT):
            assert secret not in body
    assert "反映低保评定优亲厚友" in client.get(reverse("supervision:clue_export")).content.decode(
        "utf-8-sig"
    )


def test_discipline_sees_the_reporter_on_the_page_and_in_the_export(clue, client_for, discipline):
    client = client_for(discipline)
    assert REPORTER in client.get(reverse("supervision:clue", args=[clue.pk])).content.decode()
    assert CONTACT in client.get(reverse("supervision:clue_export")).content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "persona", ["banner_officer", "analyst", "gaqa_cadre", "outsider", "deputy_user"]
)
def test_roles_without_the_clue_capability_see_no_clues(request, persona, clue, client_for):
    user = request.getfixturevalue(persona)
    assert not selectors.clue_list(user=user).exists()
    assert client_for(user).get(reverse("supervision:clue", args=[clue.pk])).status_code == 404
    assert client_for(user).get(reverse("supervision:clue_export")).status_code == 404


def test_the_audit_log_never_holds_the_reporter(clue):
    for entry in AuditEntry.objects.filter(action__startswith="supervision.clue"):
        assert REPORTER not in str(entry.diff) and SUBJECT not in str(entry.diff)
