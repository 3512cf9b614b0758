from django.urls import path

from tuopin.monitoring import views, views_public

app_name = "monitoring"

urlpatterns = [
    path("", views.work, name="work"),
    path("apply/", views_public.apply, name="apply"),
    path("apply/status/", views_public.status, name="apply_status"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/consent/", views.case_consent, name="case_consent"),
    path("households/<str:code>/clue/", views.clue_report, name="clue_report"),
    path("households/<str:code>/eliminate/", views.elimination_start, name="eliminate"),
    path("publicity/<str:code>/", views.publicity, name="publicity"),
    path("publicity/<str:code>/list.xlsx", views.publicity_xlsx, name="publicity_xlsx"),
]
