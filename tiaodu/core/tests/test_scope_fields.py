"""A model reached through another is scoped exactly as that one is (`ScopeFields.through`)."""

from tiaodu.core.scoping import ScopeFields


def test_through_prefixes_every_lookup_and_keeps_what_is_missing() -> None:
    fields = ScopeFields(region_path="region__path", leader_users=("leader__user",))
    assert fields.through("project") == ScopeFields(
        region_path="project__region__path",
        owner_unit_path=None,
        responsible_unit_path=None,
        leader_users=("project__leader__user",),
        service_officer_users=(),
    )
