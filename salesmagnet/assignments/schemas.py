"""Assignment bodies as the API document spells them (camelCase), snake_case accepted too."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, StringConstraints

from models import StatusName
from salesmagnet.auth.schemas import Body, RowId
from salesmagnet.leads.schemas import Page

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


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
    max_leads_per_user: int = Field(default=20, ge=1, le=1_000_000)


class AssignmentQuery(Page):
    assigned_user_id: RowId | None = None
    lead_status: StatusName | None = None
