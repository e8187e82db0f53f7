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


async def test_a_seeded_lead_whose_deadline_passed_long_ago_is_no_alert(served: Served) -> None:
    # Demo seeding writes a lead that arrived days ago: its first stage's deadline passed then.
    # A monitor scanning before the seeder's next transaction must not announce it as news.
    from datetime import timedelta

    from models import EventOutbox
    from salesmagnet.db import utcnow
    from salesmagnet.stages import breaches
    from salesmagnet.tenancy import Actor

    entity = await make_entity()
    arrived = utcnow() - timedelta(days=3)
    meta = {"source_lead_id": unique("past-")}
    item = NewLead(entity.id, Platform.WEBSITE, meta, {"email": "p@example.io"}, arrived_at=arrived)
    [outcome] = await write_leads([item])
    assert await breaches.announce(Actor.system(entity.id), utcnow(), 500) == 0
    assert not await EventOutbox.filter(entity_id=entity.id, name="sla:breach").exists()
    stage = await LeadStage.get(lead_id=outcome.lead_id)
    assert (
        stage.sla_due_at is not None and stage.sla_breached_at == stage.sla_due_at
    )  # as the monitor would have
