"""Open data: the projects a site publishes, as an OC4IDS project package (docs/open-data.md)."""
