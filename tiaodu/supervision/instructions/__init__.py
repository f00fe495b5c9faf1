"""Leaders' instructions (批示): a leader writes one on a project, a problem, a notice (or,
registered from above, a bulletin); it is routed to a unit with a deadline, answered, and
closed by the leader or sent back (docs/instructions.md)."""
