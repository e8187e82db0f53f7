"""The lead writer's batches: each lead is linked to its own rows, however the database hands
out ids."""

from __future__ import annotations

import pytest

from models import Lead, LeadMeta, LeadStage, Platform
from salesmagnet import tenancy
from salesmagnet.leads.writer import NewLead, write_leads
from tests.conftest import TEST_DB, Served, unique
from tests.factories import make_entity


@pytest.mark.parametrize("consecutive", [True, False], ids=["ids-from-insert", "ids-read-back"])
async def test_a_batch_links_each_lead_to_its_own_rows(
    served: Served, monkeypatch: pytest.MonkeyPatch, consecutive: bool
) -> None:
    if not consecutive:
        if TEST_DB != "mysql":
            pytest.skip("SQLite hands out one statement's ids consecutively, always")
        # As on MySQL 8 (innodb_autoinc_lock_mode 2): ids must be read back by unique key.
        monkeypatch.setitem(tenancy._CONSECUTIVE, "mysql", False)
    entity = await make_entity()
    items = [
        NewLead(
            entity.id,
            Platform.WEBSITE,
            {"source_lead_id": unique(f"batch{n}-"), "page_id": f"page{n}"},
            {"email": f"b{n}@example.io", "raw_field_data": {"n": n}},
        )
        for n in range(6)
    ]
    outcomes = await write_leads(items, look_first=False)
    assert len({o.lead_id for o in outcomes}) == 6 and all(o.created for o in outcomes)
    for n, outcome in enumerate(outcomes):
        lead = await Lead.get(id=outcome.lead_id)
        meta = await LeadMeta.get(id=lead.lead_meta_id)  # type: ignore[attr-defined]
        assert (lead.email, lead.raw_field_data, lead.source_page_id) == (
            f"b{n}@example.io",
            {"n": n},
            f"page{n}",
        )
        assert meta.source_lead_id == items[n].meta["source_lead_id"]
        assert await LeadStage.filter(lead_id=lead.id).count() == 1
        assert outcome.lead is not None and outcome.lead["email"] == lead.email
