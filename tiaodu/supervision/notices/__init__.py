"""Supervision notices (提示单, 督办单, 警示函, 约谈): issued on projects to the unit that must
answer, answered, closed, numbered per kind and year, and printed as the official document
(docs/supervision.md)."""
