from django.urls import path

from bastion.coverage import views

app_name = "coverage"

urlpatterns = [
    path("", views.index, name="index"),
    path("areas/<int:pk>/", views.area, name="area"),
    path("households/", views.households, name="households"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/building-head/", views.building_head, name="building_head"),
    path("assign/", views.assign, name="assign"),
    path("responsibilities/<int:pk>/end/", views.responsibility_end, name="responsibility_end"),
]
