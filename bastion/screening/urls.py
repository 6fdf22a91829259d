from django.urls import path

from bastion.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.today, name="today"),
    path("visit/", views.visit_new, name="visit_new"),
    path("isolations/<int:pk>/", views.isolation, name="isolation"),
    path("isolations/<int:pk>/<str:action>/", views.isolation_action, name="isolation_action"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("releases/<int:pk>/", views.release_record, name="release_record"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("review/<str:kind>/<int:pk>/", views.review, name="review"),
    path("households/<int:pk>/self-report/", views.self_report_link, name="self_report_link"),
    path("r/<str:token>/", views.self_report, name="self_report"),
]
