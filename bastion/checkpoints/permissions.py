"""Checkpoint permissions per role, merged into the Scope by bastion.access.scope.

checkpoint.view    see sites, entrances, shifts, readings, the dashboard and duty warnings
checkpoint.record  record readings, tallies and referrals at an entrance (the console)
checkpoint.manage  entrances, shifts and the site's device tokens
"""

VIEW = "checkpoint.view"
RECORD = "checkpoint.record"
MANAGE = "checkpoint.manage"

ROLE_PERMISSIONS = {
    "district_admin": {VIEW, RECORD, MANAGE},
    "street_officer": {VIEW, RECORD, MANAGE},
    "community_worker": {VIEW},
    "grid_secretary": set(),
    "member": set(),
    "checkpoint_member": {VIEW, RECORD},
    "auditor": {VIEW},
}
