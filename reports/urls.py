from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("review/", views.inbox, name="inbox"),
]
