from __future__ import annotations

import datetime

from conftest import ALXA
from tuopin.analytics.definitions import VOCABULARY
from tuopin.analytics.engine.indicators import compute_indicators
from tuopin.analytics.engine.synthetic import write_synthetic_snapshot
from tuopin.analytics.snapshot import Snapshot
from tuopin.areas.models import Area


def test_a_synthetic_snapshot_rolls_up_to_the_number_of_households_made(alxa, tmp_path):
    areas = list(
        Area.objects.order_by("lft").values_list(
            "id", "code", "name", "level", "kind", "parent_id", "lft", "rgt", "depth", "is_active"
        )
    )
    as_of = datetime.date(2025, 6, 30)
    counts = write_synthetic_snapshot(tmp_path, households=500, areas=areas, as_of=as_of)
    snapshot = Snapshot(path=tmp_path, as_of=as_of, created_at=None, counts=counts)  # type: ignore[arg-type]
    table = compute_indicators(snapshot.connect(), as_of=as_of, vocabulary=VOCABULARY)
    league = table.for_area(ALXA)
    assert league["households"] == 500
    assert league["persons"] == counts["members"]
    banners = Area.objects.filter(parent__code=ALXA)
    assert sum(table.for_area(b.code)["households"] for b in banners) == 500
    assert (
        league["tuopin_persons"] + league["poor_persons"] + league["persons_status_ordinary"]
        == league["persons"]
    )
