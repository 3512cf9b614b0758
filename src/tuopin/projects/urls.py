from django.urls import path

from tuopin.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("funds/", views.fund_report, name="funds"),
    path("assets/", views.asset_ledger, name="assets"),
    path("collective-economy/", views.collective_economy, name="economy"),
    path("industries/", views.industries, name="industries"),
    path("<str:code>/", views.project_detail, name="detail"),
]
