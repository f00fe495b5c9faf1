"""Consultations and joint meetings (会商, 联席会议): convened on problems of the ledger, each
decision on an agenda problem a step of the problem workflow (docs/supervision.md)."""
