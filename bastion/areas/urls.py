from django.urls import path

from bastion.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("<int:pk>/", views.detail, name="detail"),
]
