from django.urls import path

from tuopin.registry import views, views_files

app_name = "registry"

urlpatterns = [
    path("", views.household_list, name="list"),
    # Household files; before "<str:code>/", which would take "import" for a household code.
    path("import/", views_files.household_import, name="import"),
    path("export/", views_files.household_export, name="export"),
    path("file-actions/", views_files.file_actions, name="file_actions"),
    path("jobs/<uuid:job_id>/", views_files.import_job, name="job"),
    path("jobs/<uuid:job_id>/errors.xlsx", views_files.import_job_errors, name="job_errors"),
    path("<str:code>/", views.household_detail, name="detail"),
    path("<str:code>/edit/", views.household_edit, name="edit"),
    path("<str:code>/status/", views.status_mark, name="status"),
    path("<str:code>/income/", views.income_edit, name="income"),
    path("<str:code>/conditions/", views.conditions_edit, name="conditions"),
    path("<str:code>/members/add/", views.member_add, name="member_add"),
    path("<str:code>/members/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<str:code>/members/<int:person_id>/remove/", views.member_remove, name="member_remove"),
]
