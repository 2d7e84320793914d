from django.urls import path

from reports import pdf_views

app_name = "report_pdfs"

urlpatterns = [
    # DESIGN.md §9 (stable): annual, half-yearly, quarterly-N, cover-letter
    path("plans/<slug:office>/<str:year>/reports/<str:name>.pdf", pdf_views.report_pdf, name="pdf"),
    path(
        "plans/<slug:office>/<str:year>/reports/<str:name>/draft/", pdf_views.report_job_start, name="draft"
    ),
    # Every approval is a version (DESIGN.md §4): earlier ones stay downloadable, marked superseded.
    path(
        "plans/<slug:office>/<str:year>/reports/<str:name>/versions/<int:number>.pdf",
        pdf_views.report_version_pdf,
        name="version",
    ),
    path(
        "plans/<slug:office>/<str:year>/reports/<str:name>-table.xlsx",
        pdf_views.assessment_table_xlsx,
        name="xlsx",
    ),
    path("reports/jobs/<int:pk>/", pdf_views.report_job, name="job"),
    path("reports/jobs/<int:pk>/pdf/", pdf_views.report_job_pdf, name="job_pdf"),
]
