from django.urls import path

from tuopin.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/", views.index, name="index"),
    path("areas/figures/import/", views.figures_import, name="figures_import"),
    path("areas/<str:code>/", views.detail, name="detail"),
    path("areas/<str:code>/figures/", views.figures, name="figures"),
]
