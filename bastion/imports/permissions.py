"""Import permissions per role (merged into the Scope by bastion.access.scope).

imports.upload   upload a household registry, see its preview and confirm it; every row is
                 checked as the coverage and people services check it, every grid included
imports.view     open the import page and one's own past imports

Exports need the spine's "export" permission (auditors lack it) and "coverage.view".
"""

UPLOAD = {"imports.view", "imports.upload"}

ROLE_PERMISSIONS = {
    "district_admin": UPLOAD,
    "street_officer": UPLOAD,
    "community_worker": UPLOAD,
    "grid_secretary": UPLOAD,
    "member": set(),
    "checkpoint_member": set(),
    "auditor": {"imports.view"},
}
