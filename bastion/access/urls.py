from django.urls import path

from bastion.access import views

app_name = "access"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("audit/", views.audit_log, name="audit"),
    path("access/users/", views.users, name="users"),
    path("access/users/new/", views.user_create_view, name="user-create"),
    path("access/users/<int:pk>/", views.user_detail, name="user"),
    path("access/users/<int:pk>/grants/", views.grant_add, name="grant-add"),
    path("access/users/<int:pk>/active/", views.user_active, name="user-active"),
    path("access/users/<int:pk>/password/", views.user_password, name="user-password"),
    path("access/grants/<int:pk>/revoke/", views.grant_revoke_view, name="grant-revoke"),
]
