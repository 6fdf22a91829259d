"""Organisational-life permissions per role, merged into the Scope (see bastion.access.scope).

orglife.view    read activities, branches, pledges, applications, brands, stories, figures
orglife.record  record activities and attendance, pledges and stories (a branch secretary's daily work)
orglife.change  establish and dissolve temporary branches, set rules, run the application pipeline, brands
"""

VIEW = {"orglife.view"}
RECORD = VIEW | {"orglife.record"}
CHANGE = RECORD | {"orglife.change"}

ROLE_PERMISSIONS = {
    "district_admin": CHANGE,
    "street_officer": CHANGE,
    "community_worker": CHANGE,
    "grid_secretary": RECORD,
    "member": RECORD,
    "checkpoint_member": VIEW,
    "auditor": VIEW,
}
