"""Screening permissions per role (merged into the Scope by bastion.access.scope).

screening.view          read screening visits, isolations, referrals and tasks in the granted area
screening.record        record visits and checks, start and release isolations, refer, in the granted area
screening.view_own      read the records of the households and persons the user is responsible for
screening.record_own    record visits and checks for the households and persons the user is responsible for
screening.task_create   hand a person over to a community for screening (e.g. from a checkpoint)
screening.self_report   create, print and revoke a household's self-report link
"""

RECORD = {"screening.view", "screening.record", "screening.task_create", "screening.self_report"}

ROLE_PERMISSIONS = {
    "district_admin": RECORD,
    "street_officer": RECORD,
    "community_worker": RECORD,
    "grid_secretary": RECORD,
    "member": {"screening.view_own", "screening.record_own", "screening.self_report"},
    "checkpoint_member": {"screening.task_create"},
    "auditor": {"screening.view"},
}
