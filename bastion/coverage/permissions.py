"""Coverage permissions per role (merged into the Scope by bastion.access.scope).

coverage.view        read households, residents, responsibilities and the coverage page in the granted area
coverage.change      register and edit households and residents, building heads in the granted area
coverage.assign      assign and end responsibilities (包片、包戶、包人) in the granted area
coverage.change_own  edit the households and persons the user's own person is responsible for
"""

MANAGE = {"coverage.view", "coverage.change", "coverage.assign"}

ROLE_PERMISSIONS = {
    "district_admin": MANAGE,
    "street_officer": MANAGE,
    "community_worker": MANAGE,
    "grid_secretary": MANAGE,
    "member": {"coverage.view", "coverage.change_own"},
    "checkpoint_member": set(),
    "auditor": {"coverage.view"},
}
