"""The rules of ``spec/policy.md``, each written once.

``OUTPUTS`` are named expressions computed in order (a later one may read an earlier one as a
``Col``); ``GUARANTEES`` lists the guarantee codes with the output that says each failed;
``REASONS`` are the sentences a cadre reads, each with the condition under which it applies
and the values it quotes. ``engine`` runs all of it for one household in Python or for a
whole table in DuckDB, and the two must agree (a property test holds them to it).

Inputs (``INPUT_COLUMNS``, ``MEMBER_COLUMNS``) use the registry's stored codes; money is in
integer cents. Parameters (``PARAMETERS``) come from the policy in force (``params``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_noop

from tuopin.rules.expr import (
    AddMonths,
    AgeOn,
    AnyMember,
    Coalesce,
    Col,
    CountMembers,
    Expr,
    IsNull,
    MemberCol,
    Not,
    Param,
    RoundDiv,
    all_of,
    any_of,
    case,
)

# --- inputs ------------------------------------------------------------------------------------

INPUT_COLUMNS: dict[str, str] = {
    "household_code": "VARCHAR",
    "household_type": "VARCHAR",  # tuopin · ordinary · poor
    "wage_income": "BIGINT",  # cents, as every amount below
    "business_income": "BIGINT",
    "property_income": "BIGINT",
    "transfer_income": "BIGINT",
    "business_costs": "BIGINT",
    "compliant_expenses": "BIGINT",
    "food_clothing": "BOOLEAN",
    "housing_grade": "VARCHAR",
    "water_quantity": "BOOLEAN",
    "water_quality": "BOOLEAN",
    "water_access": "BOOLEAN",
    "water_reliability": "BOOLEAN",
    "monitor_type": "VARCHAR",  # as the household arrives; NULL when not monitored
    "monitor_since": "DATE",
    "measures": "INTEGER",
}

MEMBER_COLUMNS: dict[str, str] = {
    "birth_date": "DATE",
    "schooling": "VARCHAR",
    "medical_insured": "BOOLEAN",
    "labour": "VARCHAR",
}

PARAMETERS: dict[str, str] = {
    "year": "INTEGER",
    "as_of": "DATE",
    "poverty_line": "BIGINT",  # cents
    "line_from_year": "INTEGER",  # the year the line was set for (earlier: carried forward)
    "threshold": "BIGINT",  # cents; NULL when no threshold is in force
    "threshold_from_year": "INTEGER",
    "elimination_min_months": "INTEGER",
    "elimination_min_measures": "INTEGER",
}

# --- outputs -----------------------------------------------------------------------------------

c, p, m = Col, Param, MemberCol
WORKING = ("ordinary", "skilled")  # 普通劳动力, 技能劳动力
UNSAFE_HOUSING = ("C", "D")

OUTPUTS: list[tuple[str, Expr]] = [
    ("household_size", CountMembers()),
    (
        "net_income",
        c("wage_income")
        + c("business_income")
        + c("property_income")
        + c("transfer_income")
        - c("business_costs"),
    ),
    ("per_capita", RoundDiv(c("net_income"), c("household_size"))),
    (
        "per_capita_after_expenses",
        RoundDiv(c("net_income") - c("compliant_expenses"), c("household_size")),
    ),
    ("income_exceeds_line", Coalesce((c("per_capita") > p("poverty_line"), False))),
    ("fails_food_clothing", Coalesce((Not(c("food_clothing")), False))),
    (
        "school_dropouts",
        CountMembers(
            all_of(
                AgeOn(m("birth_date"), p("as_of")) >= 6,
                AgeOn(m("birth_date"), p("as_of")) <= 15,
                m("schooling").eq("dropped_out"),
            )
        ),
    ),
    ("fails_compulsory_education", c("school_dropouts") > 0),
    ("uninsured_members", CountMembers(Not(Coalesce((m("medical_insured"), False))))),
    ("fails_basic_medical", c("uninsured_members") > 0),
    ("fails_housing_safety", Coalesce((c("housing_grade").isin(UNSAFE_HOUSING), False))),
    (
        "fails_drinking_water",
        Not(
            Coalesce(
                (
                    all_of(
                        c("water_quantity"),
                        c("water_quality"),
                        c("water_access"),
                        c("water_reliability"),
                    ),
                    False,
                )
            )
        ),
    ),
    (
        "any_guarantee_failed",
        any_of(
            c("fails_food_clothing"),
            c("fails_compulsory_education"),
            c("fails_basic_medical"),
            c("fails_housing_safety"),
            c("fails_drinking_water"),
        ),
    ),
    ("exit_eligible", all_of(c("income_exceeds_line"), Not(c("any_guarantee_failed")))),
    ("within_range", Coalesce((c("per_capita") <= p("threshold"), False))),
    (
        "monitor_candidate",
        case(
            (any_of(c("household_type").eq("poor"), IsNull(p("threshold"))), None),
            (all_of(c("within_range"), c("household_type").eq("tuopin")), "unstable_tuopin"),
            (all_of(c("within_range"), c("household_type").eq("ordinary")), "marginal"),
            (
                any_of(
                    Coalesce((c("per_capita_after_expenses") <= p("threshold"), False)),
                    c("any_guarantee_failed"),
                ),
                "sudden_hardship",
            ),
        ),
    ),
    ("arrives_monitored", Not(IsNull(c("monitor_type")))),
    ("has_labour", AnyMember(m("labour").isin(WORKING))),
    ("eligible_from", AddMonths(c("monitor_since"), p("elimination_min_months"))),
    ("monitored_long_enough", Coalesce((c("eligible_from") <= p("as_of"), False))),
    (
        "enough_measures",
        Coalesce((c("measures") >= p("elimination_min_measures"), False)),
    ),
    ("above_threshold", Coalesce((c("per_capita") > p("threshold"), False))),
    (
        "above_threshold_after_expenses",
        Coalesce((c("per_capita_after_expenses") > p("threshold"), False)),
    ),
    (
        "elimination_eligible",
        case(
            (Not(c("arrives_monitored")), None),
            default=all_of(
                c("monitored_long_enough"),
                c("enough_measures"),
                c("above_threshold"),
                c("above_threshold_after_expenses"),
                Not(c("any_guarantee_failed")),
                c("has_labour"),
            ),
        ),
    ),
]

# The guarantees in the order the evaluation file lists them, with the output saying each failed.
GUARANTEES: list[tuple[str, str]] = [
    ("food_clothing", "fails_food_clothing"),
    ("compulsory_education", "fails_compulsory_education"),
    ("basic_medical", "fails_basic_medical"),
    ("housing_safety", "fails_housing_safety"),
    ("drinking_water", "fails_drinking_water"),
]

# --- reasons -----------------------------------------------------------------------------------

Kind = Literal["money", "amount", "int", "date", "text"]


@dataclass(frozen=True)
class Reason:
    """A sentence that applies when ``when`` holds, quoting ``args`` (placeholder → value).

    ``money`` is cents shown with two decimals (5,820.00); ``amount`` a policy amount shown
    whole when it is whole (8,800); ``int``, ``date`` (2025-03-01) and ``text`` as they are.
    """

    code: str
    when: Expr
    message: str
    args: tuple[tuple[str, Kind, Expr], ...] = ()


THRESHOLD_KNOWN = Not(IsNull(p("threshold")))
PER_CAPITA = ("per_capita", "money", c("per_capita"))
YEAR = ("year", "int", p("year"))
LINE = ("line", "amount", p("poverty_line"))
THRESHOLD = ("threshold", "amount", p("threshold"))
AFTER = ("after", "money", c("per_capita_after_expenses"))
CANDIDATE = c("monitor_candidate")

REASONS: list[Reason] = [
    Reason(
        "income_above_line",
        c("income_exceeds_line"),
        gettext_noop(
            "Net income per capita %(per_capita)s yuan, above the %(year)s poverty line of "
            "%(line)s yuan"
        ),
        (PER_CAPITA, YEAR, LINE),
    ),
    Reason(
        "income_not_above_line",
        all_of(Not(c("income_exceeds_line")), Not(IsNull(c("per_capita")))),
        gettext_noop(
            "Net income per capita %(per_capita)s yuan, not above the %(year)s poverty line of "
            "%(line)s yuan"
        ),
        (PER_CAPITA, YEAR, LINE),
    ),
    Reason(
        "line_carried_forward",
        p("line_from_year").ne(p("year")),
        gettext_noop(
            "No poverty line is set for %(year)s; the %(from_year)s line of %(line)s yuan applies"
        ),
        (YEAR, ("from_year", "int", p("line_from_year")), LINE),
    ),
    Reason(
        "fails_food_clothing",
        c("fails_food_clothing"),
        gettext_noop("Food and clothing are not assured"),
    ),
    Reason(
        "fails_compulsory_education",
        c("fails_compulsory_education"),
        gettext_noop("%(count)s member(s) aged 6 to 15 dropped out of school"),
        (("count", "int", c("school_dropouts")),),
    ),
    Reason(
        "fails_basic_medical",
        c("fails_basic_medical"),
        gettext_noop("%(count)s member(s) without basic medical insurance"),
        (("count", "int", c("uninsured_members")),),
    ),
    Reason(
        "fails_housing_safety",
        c("fails_housing_safety"),
        gettext_noop("Housing appraised grade %(grade)s, not safe"),
        (("grade", "text", c("housing_grade")),),
    ),
    Reason(
        "water_quantity",
        Not(Coalesce((c("water_quantity"), False))),
        gettext_noop("Drinking water: quantity not adequate"),
    ),
    Reason(
        "water_quality",
        Not(Coalesce((c("water_quality"), False))),
        gettext_noop("Drinking water: quality not adequate"),
    ),
    Reason(
        "water_access",
        Not(Coalesce((c("water_access"), False))),
        gettext_noop("Drinking water: access not convenient"),
    ),
    Reason(
        "water_reliability",
        Not(Coalesce((c("water_reliability"), False))),
        gettext_noop("Drinking water: supply not reliable"),
    ),
    Reason(
        "no_threshold",
        all_of(IsNull(p("threshold")), p("year") >= 2020),
        gettext_noop("No monitoring threshold is in force for %(year)s; no monitoring type"),
        (YEAR,),
    ),
    Reason(
        "threshold_carried_forward",
        all_of(THRESHOLD_KNOWN, p("threshold_from_year").ne(p("year"))),
        gettext_noop(
            "No monitoring threshold is set for %(year)s; the %(from_year)s threshold of "
            "%(threshold)s yuan applies"
        ),
        (YEAR, ("from_year", "int", p("threshold_from_year")), THRESHOLD),
    ),
    Reason(
        "poor_not_candidate",
        all_of(THRESHOLD_KNOWN, c("household_type").eq("poor")),
        gettext_noop("A household not yet lifted out of poverty is not a monitoring candidate"),
    ),
    Reason(
        "unstable_tuopin",
        CANDIDATE.eq("unstable_tuopin"),
        gettext_noop(
            "Net income per capita %(per_capita)s yuan, not above the %(year)s monitoring "
            "threshold of %(threshold)s yuan: unstable tuopin household"
        ),
        (PER_CAPITA, YEAR, THRESHOLD),
    ),
    Reason(
        "marginal",
        CANDIDATE.eq("marginal"),
        gettext_noop(
            "Net income per capita %(per_capita)s yuan, not above the %(year)s monitoring "
            "threshold of %(threshold)s yuan: marginal household at risk"
        ),
        (PER_CAPITA, YEAR, THRESHOLD),
    ),
    Reason(
        "sudden_hardship_expenses",
        all_of(
            CANDIDATE.eq("sudden_hardship"),
            Coalesce((c("per_capita_after_expenses") <= p("threshold"), False)),
        ),
        gettext_noop(
            "After compliant self-paid expenses of %(expenses)s yuan, %(after)s yuan per capita, "
            "not above the %(year)s monitoring threshold of %(threshold)s yuan: household in "
            "sudden severe hardship"
        ),
        (("expenses", "money", c("compliant_expenses")), AFTER, YEAR, THRESHOLD),
    ),
    Reason(
        "sudden_hardship_guarantee",
        all_of(
            CANDIDATE.eq("sudden_hardship"),
            Not(Coalesce((c("per_capita_after_expenses") <= p("threshold"), False))),
        ),
        gettext_noop("A guarantee is not met: household in sudden severe hardship"),
    ),
    Reason(
        "above_threshold",
        all_of(
            THRESHOLD_KNOWN,
            Not(c("household_type").eq("poor")),
            IsNull(CANDIDATE),
            Not(IsNull(c("per_capita"))),
        ),
        gettext_noop(
            "Net income per capita %(per_capita)s yuan, above the %(year)s monitoring threshold "
            "of %(threshold)s yuan"
        ),
        (PER_CAPITA, YEAR, THRESHOLD),
    ),
    # Risk elimination: only for a household that arrives monitored.
    Reason(
        "elimination_too_soon",
        all_of(c("arrives_monitored"), Not(c("monitored_long_enough"))),
        gettext_noop(
            "Monitored since %(since)s, less than %(months)s months (eligible from %(from)s)"
        ),
        (
            ("since", "date", c("monitor_since")),
            ("months", "int", p("elimination_min_months")),
            ("from", "date", c("eligible_from")),
        ),
    ),
    Reason(
        "elimination_measures",
        all_of(c("arrives_monitored"), Not(c("enough_measures"))),
        gettext_noop("%(measures)s assistance measure(s) in place, fewer than %(min)s"),
        (
            ("measures", "int", c("measures")),
            ("min", "int", p("elimination_min_measures")),
        ),
    ),
    Reason(
        "elimination_no_threshold",
        all_of(c("arrives_monitored"), IsNull(p("threshold"))),
        gettext_noop("No monitoring threshold is in force, so the risk cannot be found eliminated"),
    ),
    Reason(
        "elimination_income",
        all_of(c("arrives_monitored"), THRESHOLD_KNOWN, Not(c("above_threshold"))),
        gettext_noop(
            "Risk not eliminated: net income per capita %(per_capita)s yuan is not above the "
            "monitoring threshold of %(threshold)s yuan"
        ),
        (PER_CAPITA, THRESHOLD),
    ),
    Reason(
        "elimination_income_after_expenses",
        all_of(
            c("arrives_monitored"),
            THRESHOLD_KNOWN,
            Not(c("above_threshold_after_expenses")),
        ),
        gettext_noop(
            "Risk not eliminated: after compliant self-paid expenses, %(after)s yuan per capita "
            "is not above the monitoring threshold of %(threshold)s yuan"
        ),
        (AFTER, THRESHOLD),
    ),
    Reason(
        "elimination_guarantee",
        all_of(c("arrives_monitored"), c("any_guarantee_failed")),
        gettext_noop("Risk not eliminated: a guarantee is not met"),
    ),
    Reason(
        "elimination_no_labour",
        all_of(c("arrives_monitored"), Not(c("has_labour"))),
        gettext_noop(
            "No member has ordinary or skilled labour capacity; such a household stays monitored"
        ),
    ),
    Reason(
        "elimination_eligible",
        Coalesce((c("elimination_eligible"), False)),
        gettext_noop("Meets the conditions for risk elimination"),
    ),
]

REASON_SEPARATOR = "；"
GUARANTEE_SEPARATOR = ";"
