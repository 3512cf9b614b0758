from __future__ import annotations

import pytest

from conftest import ALXA, BADANJILIN, EJINA, EKENHUDUGE, RIGHT_BANNER, SAIHANTAOLAI_GAQA
from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area
from tuopin.areas.services import load_reference_tree, renumber_tree


def test_reference_tree_holds_the_three_banners_with_official_codes(alxa):
    banners = dict(Area.objects.filter(parent=alxa, kind=Kind.BANNER).values_list("code", "name"))
    assert banners == {
        "152921000000": "阿拉善左旗",
        "152922000000": "阿拉善右旗",
        "152923000000": "额济纳旗",
    }


def test_reference_tree_holds_198_gaqa_and_villages(alxa):
    villages = Area.objects.filter(level=Level.VILLAGE, kind__in=[Kind.GAQA, Kind.VILLAGE])
    assert villages.count() == 198


def test_alxa_right_banner_has_40_gaqa_and_9_communities(area):
    right = area(RIGHT_BANNER)
    below = Area.objects.filter(right.subtree_q(), level=Level.VILLAGE)
    assert below.filter(kind=Kind.GAQA).count() == 40
    assert below.filter(kind=Kind.COMMUNITY).count() == 9
    assert Area.objects.filter(right.subtree_q(), level=Level.SUMU_TOWN).count() == 7


def test_committee_paired_gaqa_stands_under_its_sumu(area):
    gaqa = area(SAIHANTAOLAI_GAQA)
    assert gaqa.name == "赛汉陶来嘎查"
    assert gaqa.parent.code == "152923200000"


def test_every_area_has_traditional_and_romanised_names(alxa):
    assert not Area.objects.filter(name_zh_hant="").exists()
    assert not Area.objects.filter(name_latn="").exists()
    assert Area.objects.get(code=ALXA).name_latn == "Alxa League"
    assert Area.objects.get(code="152922211000").name_zh_hant == "曼德拉蘇木"


def test_loading_the_reference_tree_twice_changes_nothing(alxa):
    report = load_reference_tree()
    assert not report.changed
    assert report.unchanged == Area.objects.count()


def test_subtree_is_one_query(area, django_assert_num_queries):
    town = area(BADANJILIN)
    with django_assert_num_queries(1):
        codes = set(Area.objects.filter(town.subtree_q()).values_list("code", flat=True))
    assert EKENHUDUGE in codes
    assert BADANJILIN in codes
    assert all(code.startswith("152922103") for code in codes)


def test_ancestors_are_one_query(area, django_assert_num_queries):
    gaqa = area(EKENHUDUGE)
    with django_assert_num_queries(1):
        ancestors = list(
            Area.objects.filter(lft__lt=gaqa.lft, rgt__gt=gaqa.rgt).values_list("code", flat=True)
        )
    assert ancestors == ["150000000000", ALXA, RIGHT_BANNER, BADANJILIN]


def test_renumbering_an_unchanged_tree_touches_no_row(alxa):
    assert renumber_tree() == 0


@pytest.mark.parametrize("code", [RIGHT_BANNER, EJINA, BADANJILIN])
def test_nested_intervals_agree_with_parent_links(area, code):
    root = area(code)
    by_interval = set(Area.objects.filter(root.subtree_q()).values_list("id", flat=True))
    by_links, frontier = {root.id}, [root.id]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        by_links.update(frontier)
    assert by_interval == by_links
