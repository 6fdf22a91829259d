"""Ledger permissions per role (merged into the Scope)."""

ROLE_PERMISSIONS = {
    "district_admin": {"ledger.view", "ledger.change"},
    "street_officer": {"ledger.view", "ledger.change"},
    "community_worker": {"ledger.view", "ledger.change"},
    "grid_secretary": set(),
    "member": set(),
    "checkpoint_member": set(),
    "auditor": {"ledger.view"},
}
