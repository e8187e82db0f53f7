"""Assignment bodies as the API document spells them (camelCase), snake_case accepted too."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AliasChoices, Field, StringConstraints

from models import StatusName
from salesmagnet.auth.schemas import MULTI_LINE, Body, Out, RowId
from salesmagnet.leads.schemas import Dated, LeadNames, LeadOut, Owner, Page

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MULTI_LINE]


def _either(camel: str, snake: str) -> AliasChoices:
    return AliasChoices(camel, snake)


class Assign(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    assigned_user_id: RowId = Field(validation_alias=_either("assignedUserId", "assigned_user_id"))
    reason: Reason | None = None
    notes: Notes | None = None


class Reassign(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    new_assigned_user_id: RowId = Field(validation_alias=_either("newAssignedUserId", "new_assigned_user_id"))
    reason: Reason | None = None
    notes: Notes | None = None


class Unassign(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    reason: Reason | None = None
    notes: Notes | None = None


class BulkAssign(Body):
    reason: Reason | None = None
    max_leads_per_user: int = Field(  # the API document's snake_case first: the OpenAPI name
        default=20, ge=1, le=1_000_000, validation_alias=AliasChoices("max_leads_per_user", "maxLeadsPerUser")
    )


class MyAssignmentQuery(Page):
    """The caller's own assignments: no `assigned_user_id` (another user's are refused, not
    answered with the caller's)."""

    lead_status: StatusName | None = None


class AssignmentQuery(MyAssignmentQuery, Dated):
    """The entity's assignments: `date_from` / `date_to` are on when each was made."""

    assigned_user_id: RowId | None = None


class AssignmentOut(LeadNames):
    """One owner change of a lead; lists add who was involved and (the entity's) the lead."""

    id: int
    lead_id: int
    action: str
    assigned_user_id: int | None
    assigned_by_user_id: int | None
    previous_user_id: int | None
    reassignment_reason: str | None
    notes: str | None
    assigned_at: datetime
    assigned_user_email: str | None = None
    assigned_user_first_name: str | None = None
    assigned_user_last_name: str | None = None
    assigned_by_first_name: str | None = None
    assigned_by_last_name: str | None = None
    lead_status: StatusName | None = None


class Moved(Out):
    """An assignment made: the history row, the new owner (None: unassigned) and the lead."""

    assignment: AssignmentOut
    assigned_user: Owner | None
    lead: LeadOut


class Reassigned(Moved):
    new_assigned_user: Owner | None


class Given(Out):
    lead_id: int
    assigned_user_id: int


class BulkAssigned(Out):
    total_assigned: int
    assignments: list[Given]


class OwnerLoad(Out):
    """A user's leads. `can_own_leads` false: deactivated, or of a role that works no leads
    (admin, support), yet still owning these: its open ones wait for a manager to reassign them."""

    id: int
    first_name: str | None
    last_name: str | None
    email: str
    role: str
    is_active: bool
    can_own_leads: bool
    assigned_leads: int
    active_leads: int
    closed_leads: int


class Workload(Out):
    """unassigned_leads + every row's active_leads = open_leads (the entity's open leads);
    orphaned_leads: the open leads of rows that cannot own leads; total_users and the average:
    the users who can."""

    unassigned_leads: int
    open_leads: int
    orphaned_leads: int
    workload_distribution: list[OwnerLoad]
    total_users: int
    average_leads_per_user: float
