"""Review opinions: the issue list, progress, evidence with its checks, closure (销号) by
the committee alone, the rectification report and the satisfaction vote with rework."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import ALXA, RIGHT_BANNER
from tuopin.accounts.models import Grant, User
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.supervision import selectors, services
from tuopin.supervision.choices import ItemStatus, OpinionStatus, Satisfaction

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
D = datetime.date


def travel(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def opinion(supervisor, offices):
    with travel("2019-10-10"):
        return services.opinion_create(
            actor=supervisor,
            area=Area.objects.get(code=ALXA),
            title="关于全盟脱贫攻坚工作情况报告的审议意见",
            report_title="关于全盟脱贫攻坚工作情况的报告",
            heard_on=D(2019, 9, 20),
            items=[
                services.ItemInput(
                    text="因病致贫返贫问题突出，健康扶贫政策落实不到位",
                    area=Area.objects.get(code=RIGHT_BANNER),
                    office=offices["right_health"],
                    due_on=D(2019, 12, 31),
                ),
                services.ItemInput(
                    text="产业扶贫项目带贫机制不健全",
                    area=Area.objects.get(code=ALXA),
                    office=offices["league_bureau"],
                    due_on=D(2020, 3, 31),
                ),
            ],
        )


def test_items_are_numbered_and_overdue_after_their_due_date(opinion, supervisor):
    first, second = opinion.items.all()
    assert (first.number, second.number) == (1, 2)
    assert list(selectors.items_overdue(user=supervisor, today=D(2019, 12, 31))) == []
    assert list(selectors.items_overdue(user=supervisor, today=D(2020, 1, 1))) == [first]
    assert list(selectors.items_overdue(user=supervisor, today=D(2020, 4, 1))) == [first, second]


def test_item_area_must_lie_within_the_opinion(supervisor, offices, area):
    banner_opinion = services.opinion_create(
        actor=supervisor,
        area=area(RIGHT_BANNER),
        title="t",
        report_title="r",
        heard_on=D(2020, 1, 1),
    )
    with pytest.raises(DomainError) as exc:
        services.item_add(
            actor=supervisor,
            opinion=banner_opinion,
            item=services.ItemInput(text="x", area=area("152923000000"), due_on=D(2020, 6, 1)),
        )
    assert exc.value.field == "area"


def test_responsible_office_reports_progress_and_uploads_evidence(opinion, banner_officer):
    item = opinion.items.get(number=1)
    services.item_report_progress(actor=banner_officer, item=item, text="已开展巡诊。")
    evidence = services.evidence_upload(
        actor=banner_officer, item=item, name="巡诊记录.pdf", data=PDF
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    stored = Path(settings.DATA_DIR) / "supervision" / "evidence" / evidence.stored_as
    assert stored.read_bytes() == PDF
    assert evidence.original_name == "巡诊记录.pdf"
    assert evidence.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.exe", b"MZ....", "supervision.evidence.bad_type"),
        ("a.pdf", b"", "supervision.evidence.empty"),
        ("a.pdf", b"<html>not a pdf</html>", "supervision.evidence.content_mismatch"),
        ("a.png", PDF, "supervision.evidence.content_mismatch"),
        ("a.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "supervision.evidence.too_large"),
    ],
)
def test_evidence_is_refused_with_a_reason(opinion, banner_officer, name, data, code):
    item = opinion.items.get(number=1)
    with pytest.raises(DomainError) as exc:
        services.evidence_upload(actor=banner_officer, item=item, name=name, data=data)
    assert exc.value.code == code
    assert not item.evidence.exists()


@pytest.mark.parametrize("persona", ["ejina_officer", "analyst", "outsider", "gaqa_cadre"])
def test_others_cannot_report_on_an_item(request, persona, opinion):
    item = opinion.items.get(number=1)
    with pytest.raises(PermissionDenied):
        services.item_report_progress(actor=request.getfixturevalue(persona), item=item, text="x")


def test_closure_needs_evidence_and_the_committee(
    opinion, banner_officer, league_officer, supervisor
):
    item = opinion.items.get(number=1)
    with pytest.raises(DomainError) as exc:
        services.item_close(actor=supervisor, item=item, note="已整改")
    assert exc.value.code == "supervision.item.no_evidence"
    services.evidence_upload(actor=banner_officer, item=item, name="p.pdf", data=PDF)
    for actor in (banner_officer, league_officer):
        with pytest.raises(PermissionDenied):
            services.item_close(actor=actor, item=item, note="已整改")
    services.item_close(actor=supervisor, item=item, note="佐证材料齐全，同意销号")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert item.closed_by == supervisor
    with pytest.raises(DomainError):
        services.item_report_progress(actor=banner_officer, item=item, text="more")


def test_unsatisfied_vote_sends_the_rectification_back(opinion, league_officer, supervisor):
    with pytest.raises(DomainError):
        services.opinion_vote(
            actor=supervisor, opinion=opinion, satisfaction=Satisfaction.SATISFIED
        )
    with pytest.raises(PermissionDenied):
        services.opinion_report_rectification(
            actor=_banner_only(opinion), opinion=opinion, report="x"
        )
    services.opinion_report_rectification(
        actor=league_officer, opinion=opinion, report="已整改 1 项。"
    )
    with pytest.raises(PermissionDenied):
        services.opinion_vote(
            actor=league_officer, opinion=opinion, satisfaction=Satisfaction.SATISFIED
        )
    services.opinion_vote(actor=supervisor, opinion=opinion, satisfaction=Satisfaction.UNSATISFIED)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.REWORK
    assert opinion.rounds == 2
    services.opinion_report_rectification(
        actor=league_officer, opinion=opinion, report="全部整改。"
    )
    services.opinion_vote(actor=supervisor, opinion=opinion, satisfaction=Satisfaction.BASICALLY)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.CLOSED
    assert [(v.round, v.satisfaction) for v in opinion.votes.all()] == [
        (1, "unsatisfied"),
        (2, "basically"),
    ]


def _banner_only(opinion):
    """A banner officer holds no handling grant over a league-level opinion."""

    user = User.objects.create_user(username="banner_only")
    Grant.objects.create(
        user=user, role="banner_approver", area=Area.objects.get(code=RIGHT_BANNER)
    )
    return user


def test_evidence_upload_page_and_download_are_scoped(
    opinion, banner_officer, client_for, outsider, ejina_officer
):
    item = opinion.items.get(number=1)
    client = client_for(banner_officer)
    bad = client.post(
        reverse("supervision:item_action", args=[item.pk, "evidence"]),
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")},
        follow=True,
    )
    assert "文件内容与其类型 .pdf 不符" in bad.content.decode()
    client.post(
        reverse("supervision:item_action", args=[item.pk, "evidence"]),
        {"file": SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")},
    )
    evidence = item.evidence.get()
    response = client.get(reverse("supervision:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    for user in (outsider, ejina_officer):
        other = client_for(user).get(reverse("supervision:evidence", args=[evidence.pk]))
        assert other.status_code == 404


def test_opinion_page_offers_closure_only_to_the_committee(
    opinion, client_for, supervisor, banner_officer
):
    url = reverse("supervision:opinion", args=[opinion.pk])
    assert "销号</button>" in client_for(supervisor).get(url).content.decode()
    page = client_for(banner_officer).get(url).content.decode()
    assert "销号</button>" not in page
    assert "报告进展" in page
