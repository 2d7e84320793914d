from django.urls import path

from workflow import (
    children_views,
    meeting_views,
    next_year_views,
    plan_editor,
    plan_import_views,
    review_views,
    smart_plan_views,
    source_views,
    user_views,
    views,
)

app_name = "workflow"

plan = "plans/<slug:office>/<str:year>/"
indicator = plan + "indicators/<str:code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("waiting/", user_views.waiting_list, name="waiting"),
    path("profile/", user_views.profile, name="profile"),
    path(plan, views.plan_page, name="plan"),
    path(plan + "edit/", plan_editor.plan_edit, name="plan_edit"),
    path(plan + "import/", plan_import_views.plan_import_page, name="plan_import"),
    path(indicator, views.indicator_page, name="indicator"),
    path(indicator + "row/", views.progress_cell, name="row"),
    path(indicator + "q<int:quarter>/", views.progress_edit, name="progress"),
    path(indicator + "applicability/", views.indicator_applicability, name="applicability"),
    path(indicator + "source/", source_views.indicator_source, name="indicator_source"),
    path(plan + "next-year/", next_year_views.plan_next_year, name="plan_next_year"),
    path(plan + "from-template/", next_year_views.plan_from_template, name="plan_from_template"),
    path(plan + "periods/<int:quarter>/<str:action>/", views.period_action, name="period_action"),
    path("templates/", next_year_views.templates_page, name="templates"),
    path(plan + "periods/<int:quarter>/<str:action>/confirm/", views.period_confirm, name="period_confirm"),
    # The higher office's review (DESIGN.md §9)
    path("review/", review_views.inbox, name="inbox"),
    path("review/summary/", review_views.summary_view, name="summary"),
    path("review/summary.csv", review_views.summary_csv, name="summary_csv"),
    # Review meetings and their minutes (issue 16.1)
    path("meetings/<slug:office>/<str:year>/", meeting_views.meeting_list, name="meetings"),
    path("meetings/<slug:office>/<str:year>/<int:number>/", meeting_views.meeting_page, name="meeting"),
    path("meetings/<slug:office>/<str:year>/<int:number>.pdf", meeting_views.meeting_pdf, name="meeting_pdf"),
    # The Smart Bangladesh action plan (issue 16.2)
    path("smart-plan/<slug:office>/<str:year>/", smart_plan_views.smart_plan_page, name="smart_plan"),
    path("smart-plan/<slug:office>/<str:year>.pdf", smart_plan_views.smart_plan_pdf, name="smart_plan_pdf"),
    # The review of child offices (issue 16.3)
    path(
        "review/children/<slug:office>/<str:year>/q<int:quarter>/",
        children_views.children_review,
        name="children_review",
    ),
    path(
        "review/children/<slug:office>/<str:year>/q<int:quarter>.pdf",
        children_views.children_review_pdf,
        name="children_review_pdf",
    ),
    path("review/summary/offices.csv", review_views.summary_offices_csv, name="summary_offices_csv"),
]
