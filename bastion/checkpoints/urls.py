from django.urls import path

from bastion.checkpoints import views

app_name = "checkpoints"

urlpatterns = [
    path("", views.index, name="index"),
    path("sites/<int:pk>/", views.site_dashboard, name="site"),
    path("sites/<int:pk>/entrances/add/", views.entrance_add, name="entrance-add"),
    path("sites/<int:pk>/shifts/", views.shifts, name="shifts"),
    path("shifts/<int:pk>/end/", views.shift_end_view, name="shift-end"),
    path("sites/<int:pk>/devices/", views.devices, name="devices"),
    path("devices/<int:pk>/revoke/", views.device_revoke, name="device-revoke"),
    path("sites/<int:pk>/referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("entrances/<int:pk>/console/", views.console, name="console"),
    path("entrances/<int:pk>/referral/", views.referral_new, name="referral-new"),
    path("entrances/<int:pk>/poster/", views.poster, name="poster"),
    path("entrances/<int:pk>/manifest.webmanifest", views.console_manifest, name="console-manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("on-duty/<uuid:key>/", views.on_duty_public, name="on-duty"),
]
