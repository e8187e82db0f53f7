"""Stage bodies and queries as the API document spells them (camelCase), snake_case accepted too."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field, StringConstraints, model_validator

from models import STATUS_IDS, StatusName
from salesmagnet.analytics.schemas import Days
from salesmagnet.auth.schemas import MULTI_LINE, Body, Figures, Out, RowId
from salesmagnet.leads.schemas import Dated, LeadNames, LeadOut, Page, page_limit
from salesmagnet.stages import rollups as stage_rollups

Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MULTI_LINE]
NextAction = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
BY_ID = {number: status for status, number in STATUS_IDS.items()}
MAX_SLA_HOURS = 24 * 365


def _status(value: Any) -> Any:
    """A status id (1-8, a number or digits) or a status name, as the status it names."""
    if value is None or isinstance(value, StatusName):
        return value
    text = str(value).strip().lower()
    if text.isdigit() and not isinstance(value, bool):
        if int(text) in BY_ID:
            return BY_ID[int(text)]
    elif text in StatusName.__members__.values():
        return StatusName(text)
    allowed = ", ".join(f"{n} ({s.value})" for n, s in BY_ID.items())
    raise ValueError(f"unknown status {value!r}; use an id or a name: {allowed}")


Status = Annotated[StatusName, BeforeValidator(_status)]


def _either(camel: str, snake: str) -> AliasChoices:
    return AliasChoices(camel, snake)


class ChangeStatus(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    status: Status | None = Field(
        default=None, validation_alias=AliasChoices("statusId", "status_id", "status")
    )
    notes: Notes | None = None
    next_action_required: NextAction | None = Field(
        default=None, validation_alias=_either("nextActionRequired", "next_action_required")
    )

    @model_validator(mode="after")
    def _named(self) -> ChangeStatus:
        if self.status is None:
            raise ValueError("statusId (or status, a status name) is required")
        return self


class UpdateNotes(Body):
    stage_id: RowId = Field(validation_alias=_either("stageId", "stage_id"))
    notes: Notes | None = None
    next_action_required: NextAction | None = Field(
        default=None, validation_alias=_either("nextActionRequired", "next_action_required")
    )


class Window(Dated):
    """A window on when stages were entered."""


class UserDays(Days):
    user_id: RowId | None = None


class SlaQuery(Page):
    """`sla_hours` replaces the entity's per-status SLA hours with one figure for every status."""

    sla_hours: float | None = Field(default=None, gt=0, le=MAX_SLA_HOURS)


class SlaCompliance(Days):
    sla_hours: float | None = Field(  # the thresholds the stage rollups count
        default=None, gt=0, le=MAX_SLA_HOURS, json_schema_extra={"enum": list(stage_rollups.OVER)}
    )


class Recent(Page):
    limit: int = page_limit(20)


class Bottlenecks(Days):
    """Statuses where more than `threshold` percent of the entries stayed over 24 hours."""

    threshold: float = Field(default=20, ge=0, le=100)


class StageQuery(Page, Window):
    status_id: Status | None = None
    user_id: RowId | None = None
    lead_id: RowId | None = None
    active_only: bool = False


class StageOut(LeadNames):
    """A lead's stay in a status; lists add who opened it and (the entity's) the lead."""

    id: int
    lead_id: int
    status_id: int
    entered_at: datetime
    exited_at: datetime | None
    duration_hours: float | None
    user_id: int | None
    notes: str | None
    next_action_required: str | None
    sla_due_at: datetime | None
    sla_breached_at: datetime | None
    status_name: StatusName | None = None
    status_description: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_email: str | None = None
    platform_key: str | None = None
    assigned_user_id: int | None = None


class StatusChanged(Out):
    stage_id: int
    current_stage: StageOut
    previous_status: StatusName
    new_status: StatusName
    transition_valid: bool
    lead: LeadOut


class StatusRef(Out):
    id: int
    name: StatusName
    description: str | None


class NextStatuses(Out):
    current_status: StatusName
    next_possible_statuses: list[StatusRef]


class LateStage(StageOut):
    hours_in_stage: float
    sla_hours: float
    hours_over_sla: float


class SlaViolations(Out):
    leads: list[LateStage]
    sla_hours: float | dict[str, float]  # the hours asked for, or the entity's per status
    total_exceeding: int


class StatusFigures(Figures):
    """One status's figures (the fields beside these depend on the metric)."""

    status_id: int
    status_name: StatusName
    status_description: str | None


class UserStageFigures(Figures):
    id: int
    first_name: str | None
    last_name: str | None
    email: str
    total_stage_changes: int
    completed_stages: int
    active_stages: int
    avg_stage_duration: float | None
    unique_leads_handled: int


class Transition(Figures):
    from_status: StatusName
    to_status: StatusName
    transition_count: int
    avg_time_in_from_status: float | None


class StageCompliance(Out):
    compliance: list[StatusFigures]
    sla_hours: float | dict[str, float]
