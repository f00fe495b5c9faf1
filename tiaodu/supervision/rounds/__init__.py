"""Field rounds (进现场 site visits, 督查 inspections, 拉练 inspection tours, 观摩 observations):
groups of officials visit assigned projects, record what they found with photos and a score,
and put what holds a project back on the problem ledger (docs/field-rounds.md)."""
