from django.urls import path

from tuopin.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.area, name="area"),
    path("<str:code>/export.xlsx", views.export, name="export"),
]
