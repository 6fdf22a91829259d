from django.urls import path

from bastion.supplies import views

app_name = "supplies"

urlpatterns = [
    path("", views.index, name="index"),
    path("purchases/new/", views.purchase_new, name="purchase_new"),
    path("purchases/<int:pk>/", views.purchase, name="purchase"),
    path("distributions/<int:pk>/", views.distribution, name="distribution"),
    path("received/<int:pk>/", views.received_lot, name="lot"),
    path("items/", views.items, name="items"),
    path("locations/", views.locations, name="locations"),
    path("trace/recipients/<int:pk>/", views.recipient_trace, name="recipient_trace"),
    path("trace/funds/<int:pk>/", views.fund_trace, name="fund_trace"),
]
