"""Analytics: the dashboard and the figures managers watch, read from the rollups the writers
keep (salesmagnet.leads.rollups, activity_rollups), and `analytics:updated` pushed as they move."""
