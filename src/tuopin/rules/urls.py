from django.urls import path

from tuopin.rules import views

app_name = "rules"

urlpatterns = [
    path("sweeps/", views.sweep_list, name="sweep_list"),
    path("sweeps/jobs/<uuid:job_id>/", views.sweep_job, name="sweep_job"),
    path("sweeps/<int:pk>/", views.sweep_detail, name="sweep_detail"),
    path("exit/", views.exit_check, name="exit_check"),
]
