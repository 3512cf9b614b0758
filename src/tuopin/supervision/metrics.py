"""Computed assessment criteria: named metrics that score an area 0–100 for a year.

Supervision computes only what the registry already holds. The metrics that need the
monitoring and assistance records (overdue cases, visits, measures) and the sweeps'
wrongful exits are declared with the dotted path of the function that will compute them,
``f(area, year) -> Decimal | None``. The extension point is that path: once the app ships
the function, the metric works; until then ``compute`` is ``None`` and a criterion using
it stays unscored, with the page saying which data it awaits. Supervision sits on top of
the other domain apps, so it reaches them this way and they never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.registry.choices import HousingGrade, RegistryStatus
from tuopin.registry.models import Household, HouseholdConditions, HouseholdStatus

Compute = Callable[[Area, int], Decimal | None]


@dataclass
class Metric:
    key: str
    label: str | Promise
    provided_by: str | Promise
    function: Compute | None = None
    # Where the providing app keeps the computation, when it is not in this module.
    path: str = ""

    @property
    def compute(self) -> Compute | None:
        if self.function is None and self.path:
            try:
                self.function = import_string(self.path)
            except ImportError:
                return None
        return self.function

    @property
    def available(self) -> bool:
        """Whether the metric can be computed now (templates call callables, so they ask
        this rather than ``compute``)."""
        return self.compute is not None


METRICS: dict[str, Metric] = {}


def register_metric(
    key: str,
    label: str | Promise,
    compute: Compute | str,
    *,
    provided_by: str | Promise,
) -> None:
    """Add a metric: its computation, or the dotted path where it will be."""
    if isinstance(compute, str):
        METRICS[key] = Metric(key, label, provided_by, path=compute)
    else:
        METRICS[key] = Metric(key, label, provided_by, function=compute)


def metric_choices() -> list[tuple[str, str]]:
    return [(key, str(m.label)) for key, m in METRICS.items()]


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _households(area: Area) -> object:
    return Household.objects.filter(
        area__lft__gte=area.lft, area__lft__lte=area.rgt, closed_on__isnull=True
    )


def conditions_recorded(area: Area, year: int) -> Decimal | None:
    """Share of the area's open households whose living conditions for ``year`` are recorded."""
    households = _households(area)
    recorded = HouseholdConditions.objects.filter(household=OuterRef("pk"), year=year)
    total = households.count()  # type: ignore[attr-defined]
    done = households.filter(Exists(recorded)).count()  # type: ignore[attr-defined]
    return _share(done, total)


def housing_safe(area: Area, year: int) -> Decimal | None:
    """Share of the year's recorded conditions in the area with housing graded A or B."""
    rows = HouseholdConditions.objects.filter(
        household__in=_households(area),
        year=year,  # type: ignore[arg-type]
    )
    safe = rows.filter(housing_grade__in=[HousingGrade.A, HousingGrade.B]).count()
    return _share(safe, rows.count())


def water_safe(area: Area, year: int) -> Decimal | None:
    """Share of the year's recorded conditions meeting all four drinking-water indicators."""
    rows = HouseholdConditions.objects.filter(
        household__in=_households(area),
        year=year,  # type: ignore[arg-type]
    )
    safe = rows.filter(
        water_quantity=True, water_quality=True, water_access=True, water_reliability=True
    ).count()
    return _share(safe, rows.count())


def no_return(area: Area, year: int) -> Decimal | None:
    """Share of the area's lifted-out households that did not fall back during ``year``."""
    lifted = _households(area).filter(tuopin_year__isnull=False)  # type: ignore[attr-defined]
    returned = HouseholdStatus.objects.filter(
        household=OuterRef("pk"),
        status=RegistryStatus.RETURNED,
        valid_from__year=year,
    )
    total = lifted.count()
    fell_back = lifted.filter(Exists(returned)).count()
    return _share(total - fell_back, total)


register_metric(
    "registry.conditions_recorded",
    _("Living conditions recorded for the year"),
    conditions_recorded,
    provided_by=_("registry"),
)
register_metric(
    "registry.housing_safe",
    _("Housing safe (grade A or B)"),
    housing_safe,
    provided_by=_("registry"),
)
register_metric(
    "registry.water_safe",
    _("Drinking water safe on all four indicators"),
    water_safe,
    provided_by=_("registry"),
)
register_metric(
    "registry.no_return",
    _("Lifted-out households that did not return to poverty"),
    no_return,
    provided_by=_("registry"),
)
# Declared for the apps that will provide them.
register_metric(
    "monitoring.cases_on_time",
    _("Monitoring cases decided on time"),
    "tuopin.monitoring.metrics.cases_on_time",
    provided_by=_("monitoring"),
)
register_metric(
    "assistance.visits_done",
    _("Visits done as planned"),
    "tuopin.assistance.metrics.visits_done",
    provided_by=_("assistance"),
)
register_metric(
    "assistance.measures_in_place",
    _("Monitored households with measures in place"),
    "tuopin.assistance.metrics.measures_in_place",
    provided_by=_("assistance"),
)
register_metric(
    "rules.no_wrongful_exits",
    _("No wrongful exits found by sweeps"),
    "tuopin.rules.metrics.no_wrongful_exits",
    provided_by=_("rules"),
)

__all__ = ["METRICS", "Metric", "metric_choices", "register_metric"]
