from django.urls import path

from bastion.orglife import views

app_name = "orglife"

urlpatterns = [
    path("", views.index, name="index"),
    path("branches/", views.branch_list, name="branches"),
    path("branches/establish/", views.branch_establish, name="establish"),
    path("branches/<int:pk>/", views.branch_detail, name="branch"),
    path("branches/<int:pk>/dissolve/", views.branch_dissolve, name="dissolve"),
    path("branches/<int:pk>/members/", views.branch_add_member, name="add-member"),
    path("branches/<int:pk>/activities/new/", views.activity_new, name="activity-new"),
    path("branches/<int:pk>/applications/new/", views.application_new, name="application-new"),
    path("organisations/<int:pk>/rules/", views.branch_rules, name="rules"),
    path("organisations/<int:pk>/rules/document/", views.rules_document, name="rules-document"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/rules/", views.rule_set, name="rule-set"),
    path("applications/", views.pipeline, name="pipeline"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("brands/", views.brand_list, name="brands"),
    path("stories/new/", views.story_new, name="story-new"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("stories/<int:pk>/photo/", views.story_photo, name="story-photo"),
]
