from django.urls import path

from reports import editing_views

app_name = "reports"

# The texts the team writes for the reports (DESIGN.md §6), beside the plan's own address.
text = "plans/<slug:office>/<str:year>/report-text/"

urlpatterns = [
    path(text + "letter/<int:quarter>/", editing_views.cover_letter_edit, name="cover_letter"),
    path(text + "introduction/", editing_views.introduction_edit, name="introduction"),
    path(text + "initiatives/", editing_views.initiatives, name="initiatives"),
    path(text + "initiatives/<int:pk>/", editing_views.initiative_edit, name="initiative"),
    path(text + "initiatives/<int:pk>/delete/", editing_views.initiative_delete, name="initiative_delete"),
    path(text + "initiatives/<int:pk>/move/", editing_views.initiative_move, name="initiative_move"),
]
