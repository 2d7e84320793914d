from django.urls import path

from workflow import review_views, views

app_name = "workflow"

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
    path(plan + "periods/<int:quarter>/<str:action>/confirm/", views.period_confirm, name="period_confirm"),
    # The higher office's review (DESIGN.md §9)
    path("review/", review_views.inbox, name="inbox"),
    path("review/summary/", review_views.summary_view, name="summary"),
    path("review/summary.csv", review_views.summary_csv, name="summary_csv"),
    path("review/summary/offices.csv", review_views.summary_offices_csv, name="summary_offices_csv"),
]
