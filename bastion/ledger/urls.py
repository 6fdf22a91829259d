from django.urls import path

from bastion.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("transactions/", views.transactions, name="transactions"),
    path("transactions/<int:pk>/", views.transaction, name="transaction"),
    path("allocate/", views.allocate, name="allocate"),
    path("special-dues/", views.special_dues, name="special_dues"),
    path("receipts/", views.receipts, name="receipts"),
]
