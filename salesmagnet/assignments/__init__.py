"""Lead assignments: who owns a lead, its history, and the rep's alert (lead:assigned)."""
