"""What each role may do. Where it may do it is the grant's area subtree (see ``scoping``)."""

from __future__ import annotations

from enum import StrEnum

from tuopin.accounts.choices import Role


class Capability(StrEnum):
    VIEW_AREAS = "areas.view"
    MANAGE_AREAS = "areas.manage"
    EDIT_AREA_FIGURES = "areas.edit_figures"
    # Drafting and publishing league and banner policy packs: a league decision, so not
    # the banner approvers' even for their own banner.
    MANAGE_POLICY = "policy.manage"
    # Sweeping an area opens clues for every gaqa in it: banner and league work.
    RUN_SWEEP = "rules.sweep"
    VIEW_AGGREGATES = "analytics.view_aggregates"
    VIEW_RECORDS = "registry.view"
    VIEW_PERSONAL_DATA = "registry.view_personal"
    EDIT_RECORDS = "registry.edit"
    VIEW_SUPERVISION = "supervision.view"
    # The committee's own work: assigning suggestions, recording visits, inquiries and
    # review opinions, closing issue items (销号), recording satisfaction votes.
    MANAGE_SUPERVISION = "supervision.manage"
    # Government offices answering the committee: replies, progress, evidence.
    HANDLE_SUPERVISION = "supervision.handle"
    SUBMIT_SUGGESTION = "supervision.suggest"
    VIEW_CLUES = "supervision.view_clues"
    MANAGE_CLUES = "supervision.manage_clues"
    # Who reported a clue, and whom it is about: the discipline role alone.
    VIEW_REPORTER = "supervision.view_reporter"
    ASSESS = "supervision.assess"
    MANAGE_USERS = "accounts.manage"
    VIEW_AUDIT = "core.view_audit"


_EVERYONE = {Capability.VIEW_AREAS, Capability.VIEW_AGGREGATES}
_CASEWORK = _EVERYONE | {
    Capability.VIEW_RECORDS,
    Capability.VIEW_PERSONAL_DATA,
    Capability.EDIT_RECORDS,
}

# Government officers handle what the committee assigns to their offices and read the
# supervision records of their areas.
_HANDLING = {Capability.VIEW_SUPERVISION, Capability.HANDLE_SUPERVISION}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # A reporter's identity is confidential even from administrators.
    Role.SYSTEM_ADMIN: frozenset(set(Capability) - {Capability.VIEW_REPORTER}),
    Role.LEAGUE_OFFICER: frozenset(
        _CASEWORK
        | {
            Capability.EDIT_AREA_FIGURES,
            Capability.MANAGE_POLICY,
            Capability.VIEW_AUDIT,
            Capability.RUN_SWEEP,
            Capability.ASSESS,
        }
        | _HANDLING
    ),
    Role.BANNER_APPROVER: frozenset(
        _CASEWORK
        | {Capability.EDIT_AREA_FIGURES, Capability.RUN_SWEEP, Capability.ASSESS}
        | _HANDLING
    ),
    Role.TOWN_REVIEWER: frozenset(_CASEWORK | _HANDLING),
    Role.GAQA_CADRE: frozenset(_CASEWORK),
    # A responsible cadre works on the households paired with them; personal data is
    # needed for visits, editing is not theirs.
    Role.RESPONSIBLE_CADRE: frozenset(
        _EVERYONE | {Capability.VIEW_RECORDS, Capability.VIEW_PERSONAL_DATA}
    ),
    # Supervisors see aggregates and supervision records, never personal data.
    Role.SUPERVISOR: frozenset(
        _EVERYONE
        | {
            Capability.VIEW_SUPERVISION,
            Capability.MANAGE_SUPERVISION,
            Capability.SUBMIT_SUGGESTION,
            Capability.VIEW_CLUES,
        }
    ),
    # Deputies read the supervision records of their area, submit suggestions and answer
    # for their satisfaction with the replies.
    Role.DEPUTY: frozenset(_EVERYONE | {Capability.VIEW_SUPERVISION, Capability.SUBMIT_SUGGESTION}),
    # The discipline inspection officers work the problem clues, reporters included.
    Role.DISCIPLINE: frozenset(
        _EVERYONE
        | {
            Capability.VIEW_SUPERVISION,
            Capability.VIEW_CLUES,
            Capability.MANAGE_CLUES,
            Capability.VIEW_REPORTER,
        }
    ),
    # Analysts see aggregates only.
    Role.ANALYST: frozenset(_EVERYONE),
}


def role_allows(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
