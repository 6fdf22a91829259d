from django.urls import path

from bastion.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.create_child, name="create-child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:pk>/members/add/", views.member_add, name="member-add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
]
