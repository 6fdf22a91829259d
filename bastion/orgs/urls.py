from django.urls import path

from bastion.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("<int:pk>/", views.detail, name="detail"),
]
