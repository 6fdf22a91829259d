app_name = "orglife"

urlpatterns: list = []
