"""Supplies permissions per role (merged into the Scope)."""

ROLE_PERMISSIONS = {
    "district_admin": {"supplies.view", "supplies.change"},
    "street_officer": {"supplies.view", "supplies.change"},
    "community_worker": {"supplies.view", "supplies.change"},
    "grid_secretary": {"supplies.view"},
    "member": set(),
    "checkpoint_member": set(),
    "auditor": {"supplies.view"},
}
