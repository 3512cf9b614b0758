"""Small builders for the projects tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tuopin.projects import services
from tuopin.projects.choices import PublicityLevel
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput, household_register

D = datetime.date


def household(area, code, id_first17, *, people=1):
    members = [
        MemberInput(name="户主", id_number=id_first17 + check_digit(id_first17), relation="head")
    ]
    for i in range(1, people):
        other = id_first17[:-3] + f"{int(id_first17[-3:]) + i * 2:03d}"
        members.append(
            MemberInput(name=f"成员{i}", id_number=other + check_digit(other), relation="child")
        )
    return household_register(
        actor=None,
        code=code,
        area=area,
        household_type="tuopin",
        registered_on=D(2014, 6, 1),
        members=members,
    )


def project(area, code="P-1", budget=Decimal("100000"), **kw):
    values = {
        "code": code,
        "name": "驼奶收购站",
        "project_type": "industry",
        "area": area,
        "year": 2019,
        "budget": budget,
    } | kw
    return services.project_propose(actor=None, **values)


def publicised(project):
    start = D(2019, 3, 1)
    for level in (PublicityLevel.GAQA, PublicityLevel.TOWN, PublicityLevel.BANNER):
        services.project_publicise(
            actor=None,
            project=project,
            level=level,
            start_date=start,
            end_date=start + datetime.timedelta(days=6),
        )
        start += datetime.timedelta(days=7)
    project.refresh_from_db()
    return project


def approved(project):
    publicised(project)
    services.project_enter_pipeline(actor=None, project=project, on=D(2019, 4, 1))
    return services.project_approve(actor=None, project=project, on=D(2019, 4, 2))
