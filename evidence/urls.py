from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("plans/<slug:office>/<str:year>/indicators/<str:code>/evidence/", views.upload, name="upload"),
    path("evidence/<int:pk>/download/", views.download, name="download"),
    path("evidence/<int:pk>/remove/", views.remove, name="remove"),
]
