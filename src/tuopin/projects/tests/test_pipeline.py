"""The project pipeline: proposal, publicity level by level, and each later step with the
office it needs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import EKENHUDUGE
from tuopin.core.errors import DomainError, PermissionDenied, ValidationFailed
from tuopin.core.models import AuditEntry
from tuopin.projects import services
from tuopin.projects.choices import ProjectState
from tuopin.projects.selectors import project_beneficiaries, project_list
from tuopin.projects.tests.factories import D, approved, household, project, publicised

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaqa(area):
    return area(EKENHUDUGE)


def test_a_gaqa_cadre_proposes_a_project_for_households_of_the_gaqa(gaqa, gaqa_cadre):
    h = household(gaqa, "H-1", "15292219700305123")
    p = services.project_propose(
        actor=gaqa_cadre,
        code="P-1",
        name="驼圈",
        project_type="industry",
        area=gaqa,
        year=2019,
        budget=Decimal("50000"),
        beneficiaries=[h],
    )
    assert p.state == ProjectState.PROPOSED
    assert list(p.areas.all()) == [gaqa]
    assert list(p.beneficiaries.all()) == [h]
    assert AuditEntry.objects.get(action="projects.project.proposed").actor == gaqa_cadre


def test_a_proposal_is_refused_outside_the_cadres_town(gaqa, yabulai_cadre, outsider, analyst):
    for actor in (yabulai_cadre, outsider, analyst):
        with pytest.raises(PermissionDenied):
            services.project_propose(
                actor=actor,
                code="P-x",
                name="x",
                project_type="industry",
                area=gaqa,
                year=2019,
                budget=Decimal(1),
            )


def test_a_proposal_names_each_bad_field(gaqa, area):
    elsewhere = household(area("152922104201"), "H-9", "15292219650707311")
    with pytest.raises(ValidationFailed) as info:
        services.project_propose(
            actor=None,
            code="",
            name="x",
            project_type="bridge",
            area=gaqa,
            year=2019,
            budget=Decimal(0),
            beneficiaries=[elsewhere],
        )
    fields = {e.field for e in info.value.errors}
    assert fields == {"code", "project_type", "budget", "beneficiaries"}


def test_publicity_runs_level_by_level_and_the_banner_one_publicises(gaqa):
    p = project(gaqa)
    with pytest.raises(DomainError) as refused:
        services.project_publicise(
            actor=None,
            project=p,
            level="sumu_town",
            start_date=D(2019, 3, 1),
            end_date=D(2019, 3, 7),
        )
    assert refused.value.code == "projects.publicity.out_of_order"
    services.project_publicise(
        actor=None, project=p, level="village", start_date=D(2019, 3, 1), end_date=D(2019, 3, 7)
    )
    with pytest.raises(DomainError) as info:
        services.project_publicise(
            actor=None,
            project=p,
            level="sumu_town",
            start_date=D(2019, 3, 7),
            end_date=D(2019, 3, 14),
        )
    assert info.value.code == "projects.publicity.overlaps"
    p.refresh_from_db()
    assert p.state == ProjectState.PROPOSED
    publicised_p = publicised(project(gaqa, code="P-2"))
    assert publicised_p.state == ProjectState.PUBLICISED
    assert [x.area.level for x in publicised_p.publicities.order_by("start_date")] == [
        "village",
        "sumu_town",
        "banner",
    ]


def test_each_publicity_level_needs_an_office_of_that_level(
    gaqa, gaqa_cadre, town_reviewer, banner_officer
):
    p = project(gaqa)
    services.project_publicise(
        actor=gaqa_cadre,
        project=p,
        level="village",
        start_date=D(2019, 3, 1),
        end_date=D(2019, 3, 7),
    )
    with pytest.raises(PermissionDenied):
        services.project_publicise(
            actor=gaqa_cadre,
            project=p,
            level="sumu_town",
            start_date=D(2019, 3, 8),
            end_date=D(2019, 3, 14),
        )
    services.project_publicise(
        actor=town_reviewer,
        project=p,
        level="sumu_town",
        start_date=D(2019, 3, 8),
        end_date=D(2019, 3, 14),
    )
    with pytest.raises(PermissionDenied):
        services.project_publicise(
            actor=town_reviewer,
            project=p,
            level="banner",
            start_date=D(2019, 3, 15),
            end_date=D(2019, 3, 21),
        )
    services.project_publicise(
        actor=banner_officer,
        project=p,
        level="banner",
        start_date=D(2019, 3, 15),
        end_date=D(2019, 3, 21),
    )
    p.refresh_from_db()
    assert p.state == ProjectState.PUBLICISED


def test_the_pipeline_waits_for_the_banner_publicity_to_end(gaqa, banner_officer):
    p = publicised(project(gaqa))
    with pytest.raises(DomainError) as info:
        services.project_enter_pipeline(actor=banner_officer, project=p, on=D(2019, 3, 21))
    assert info.value.code == "projects.project.publicity_running"
    services.project_enter_pipeline(actor=banner_officer, project=p, on=D(2019, 3, 22))
    p.refresh_from_db()
    assert p.state == ProjectState.IN_PIPELINE


@pytest.mark.parametrize(
    ("step", "allowed", "refused"),
    [
        ("pipeline", "banner_officer", "town_reviewer"),
        ("approve", "banner_officer", "town_reviewer"),
        ("fund", "banner_officer", "town_reviewer"),
        ("implement", "town_reviewer", "gaqa_cadre"),
        ("accept", "banner_officer", "town_reviewer"),
        ("announce", "gaqa_cadre", "yabulai_cadre"),
    ],
)
def test_each_step_needs_its_office(gaqa, request, step, allowed, refused):
    p = publicised(project(gaqa))
    steps = {
        "pipeline": lambda a: services.project_enter_pipeline(actor=a, project=p, on=D(2019, 4, 1)),
        "approve": lambda a: services.project_approve(actor=a, project=p, on=D(2019, 4, 2)),
        "fund": lambda a: services.project_mark_funded(actor=a, project=p),
        "implement": lambda a: services.project_mark_implemented(
            actor=a, project=p, on=D(2019, 9, 1)
        ),
        "accept": lambda a: services.project_accept(actor=a, project=p, on=D(2019, 10, 1)),
        "announce": lambda a: services.project_announce(
            actor=a, project=p, on=D(2019, 10, 8), place="嘎查公示栏"
        ),
    }
    order = list(steps)
    for earlier in order[: order.index(step)]:
        if earlier == "fund":
            services.fund_allocate(
                actor=None,
                project=p,
                source="central",
                year=2019,
                amount=p.budget,
                allocated_on=D(2019, 4, 3),
            )
        steps[earlier](None)
    if step == "fund":
        services.fund_allocate(
            actor=None,
            project=p,
            source="banner",
            year=2019,
            amount=p.budget,
            allocated_on=D(2019, 4, 3),
        )
    with pytest.raises(PermissionDenied):
        steps[step](request.getfixturevalue(refused))
    done = steps[step](request.getfixturevalue(allowed))
    assert (
        done.state
        == [
            ProjectState.IN_PIPELINE,
            ProjectState.APPROVED,
            ProjectState.FUNDED,
            ProjectState.IMPLEMENTED,
            ProjectState.ACCEPTED,
            ProjectState.ANNOUNCED,
        ][order.index(step)]
    )
    assert AuditEntry.objects.filter(object_id=str(p.pk)).count() >= order.index(step) + 2


def test_steps_cannot_be_skipped(gaqa):
    p = project(gaqa)
    with pytest.raises(DomainError) as info:
        services.project_approve(actor=None, project=p, on=D(2019, 4, 2))
    assert info.value.code == "projects.project.wrong_state"


def test_a_project_is_funded_only_when_allocations_cover_its_budget(gaqa):
    p = approved(project(gaqa, budget=Decimal("100000")))
    services.fund_allocate(
        actor=None,
        project=p,
        source="central",
        year=2019,
        amount=Decimal("60000"),
        allocated_on=D(2019, 4, 3),
    )
    with pytest.raises(DomainError) as info:
        services.project_mark_funded(actor=None, project=p)
    assert info.value.code == "projects.project.underfunded"
    services.fund_allocate(
        actor=None,
        project=p,
        source="unit_savings",
        source_unit="人大阿拉善盟工委",
        year=2019,
        amount=Decimal("40000"),
        allocated_on=D(2019, 4, 3),
    )
    assert services.project_mark_funded(actor=None, project=p).state == ProjectState.FUNDED


def test_a_banner_officer_sees_only_their_banners_projects(  # noqa: PLR0917 (pytest arguments)
    gaqa, area, banner_officer, ejina_officer, league_officer, outsider, gaqa_cadre
):
    h = household(gaqa, "H-1", "15292219700305123")
    project(gaqa, code="P-you", beneficiaries=[h])
    project(area("152923200201"), code="P-ejina")
    codes = lambda u: sorted(project_list(user=u).values_list("code", flat=True))  # noqa: E731
    assert codes(banner_officer) == ["P-you"]
    assert codes(ejina_officer) == ["P-ejina"]
    assert codes(league_officer) == ["P-ejina", "P-you"]
    assert codes(outsider) == []
    p = project_list(user=gaqa_cadre).get()
    assert list(project_beneficiaries(user=gaqa_cadre, project=p)) == [h]


def test_beneficiary_households_are_hidden_from_roles_without_records(gaqa, analyst):
    h = household(gaqa, "H-1", "15292219700305123")
    p = project(gaqa, beneficiaries=[h])
    assert project_list(user=analyst).count() == 1
    assert list(project_beneficiaries(user=analyst, project=p)) == []
