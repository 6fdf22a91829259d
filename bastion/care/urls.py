from django.urls import path

from bastion.care import views

app_name = "care"

urlpatterns = [
    path("", views.index, name="index"),
    path("policies/<int:pk>/", views.policy, name="policy"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cadres/<int:pk>/", views.cadre, name="cadre"),
]
