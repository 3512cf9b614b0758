"""Writes of the monitoring workflow: clues, identification and risk-elimination cases,
and the public self-application. Every write checks who may do it, validates, writes and
leaves an audit row in the same transaction.
"""

from tuopin.monitoring.preconditions import (
    Precondition,
    elimination_preconditions,
    elimination_refusals,
)
from tuopin.monitoring.selectors import holds_role, policy_number
from tuopin.monitoring.services.cases import (
    case_announce,
    case_banner_approve,
    case_deliberate,
    case_open_elimination,
    case_open_identification,
    case_publicity_complete,
    case_publicity_set,
    case_reject,
    case_town_review,
    case_verify,
    objection_add,
    objection_answer,
    store_consent,
)
from tuopin.monitoring.services.clues import clue_dismiss, clue_match, clue_raise
from tuopin.monitoring.services.public import (
    ApplicationInput,
    RateLimited,
    application_lookup,
    application_submit,
    check_rate,
)

__all__ = [
    "ApplicationInput",
    "Precondition",
    "RateLimited",
    "application_lookup",
    "application_submit",
    "case_announce",
    "case_banner_approve",
    "case_deliberate",
    "case_open_elimination",
    "case_open_identification",
    "case_publicity_complete",
    "case_publicity_set",
    "case_reject",
    "case_town_review",
    "case_verify",
    "check_rate",
    "clue_dismiss",
    "clue_match",
    "clue_raise",
    "elimination_preconditions",
    "elimination_refusals",
    "holds_role",
    "objection_add",
    "objection_answer",
    "policy_number",
    "store_consent",
]
