"""Browser journeys: a person's path through the pages, in headless Chromium (`make e2e`)."""
