"""Care permissions per role (merged into the Scope)."""

ROLE_PERMISSIONS = {
    "district_admin": {"care.view", "care.change", "care.approve"},
    "street_officer": {"care.view", "care.change", "care.approve"},
    "community_worker": {"care.view", "care.change", "care.approve"},
    "grid_secretary": {"care.view"},
    "member": set(),
    "checkpoint_member": set(),
    "auditor": {"care.view"},
}
