"""The synthetic supervision record: the seed's figures, every record marked synthetic,
the same result for the same seed, and nothing loaded twice."""

from __future__ import annotations

import pytest

from tuopin.supervision.choices import OpinionStatus, SuggestionStatus, VisitKind
from tuopin.supervision.demo import load_supervision_demo
from tuopin.supervision.models import (
    Clue,
    InquirySession,
    Opinion,
    ReviewSample,
    Suggestion,
    Visit,
)


@pytest.fixture
def loaded(alxa):
    return load_supervision_demo(seed=7)


def test_demo_holds_the_seeds_figures(loaded):
    visits = Visit.objects.all()
    assert 30 <= visits.filter(kind=VisitKind.RESEARCH).count() <= 39
    assert visits.filter(kind=VisitKind.INSPECTION).count() == 5
    person_times = sum(v.participants for v in visits)
    assert 1000 <= person_times < 1100
    assert loaded["person_times"] == person_times
    assert 20 <= Opinion.objects.count() <= 29
    session = InquirySession.objects.get(held_on="2018-09-20")
    assert session.questions.count() == 11
    assert session.questions.values("asker").distinct().count() == 7
    assert {v.held_on.year for v in visits} == {2018, 2019, 2020}


def test_demo_has_suggestions_and_opinions_in_various_states(loaded):
    states = set(Suggestion.objects.values_list("status", flat=True))
    assert states == set(SuggestionStatus.values)
    assert {OpinionStatus.CLOSED, OpinionStatus.OPEN} <= set(
        Opinion.objects.values_list("status", flat=True)
    )
    assert ReviewSample.objects.exists()


def test_every_top_record_is_marked_synthetic(loaded):
    for model in (Visit, Opinion, Suggestion, InquirySession, Clue):
        assert not model.objects.filter(synthetic=False).exists()


def test_same_seed_same_record_and_no_second_load(alxa):
    first = load_supervision_demo(seed=7)
    figures = list(Visit.objects.order_by("id").values_list("held_on", "participants"))
    assert load_supervision_demo(seed=7) == {}
    assert Visit.objects.count() == first["visits"]
    assert figures == list(Visit.objects.order_by("id").values_list("held_on", "participants"))
