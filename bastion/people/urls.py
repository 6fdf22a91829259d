from django.urls import path

from bastion.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
]
