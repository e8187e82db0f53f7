"""Activities of leads: calls, e-mails, meetings, notes and follow-ups, and the overdue monitor."""
