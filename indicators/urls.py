from django.urls import path

from indicators import views

app_name = "indicators"

plan = "plans/<slug:office>/<str:year>/"
indicator = plan + "indicators/<str:code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(plan, views.plan_page, name="plan"),
    path(indicator, views.indicator_page, name="indicator"),
    path(indicator + "row/", views.progress_cell, name="row"),
    path(indicator + "q<int:quarter>/", views.progress_edit, name="progress"),
    path(indicator + "applicability/", views.indicator_applicability, name="applicability"),
    path(plan + "periods/<int:quarter>/<str:action>/", views.period_action, name="period_action"),
]
