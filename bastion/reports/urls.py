from django.urls import path

from bastion.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.<str:fmt>", views.export, name="export"),
    path("figures/<str:code>/", views.records, name="records"),
]
