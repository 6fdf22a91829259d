"""Report permissions per role (merged into the Scope).

reports.view  read the report and drill down, within the user's own scope (a grid's report covers the grid).
Exporting the figure table also needs the spine's "export" permission (auditors may not export).
"""

VIEW = "reports.view"
EXPORT = "export"

ROLE_PERMISSIONS = {
    "district_admin": {VIEW},
    "street_officer": {VIEW},
    "community_worker": {VIEW},
    "grid_secretary": {VIEW},
    "member": {VIEW},
    "checkpoint_member": {VIEW},
    "auditor": {VIEW},
}
