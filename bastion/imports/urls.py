from django.urls import path

from bastion.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("export/households.xlsx", views.export, name="export"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/file/", views.batch_file, name="file"),
]
