from django.urls import path

from tuopin.assistance import views

app_name = "assistance"

urlpatterns = [
    path("households/<str:code>/measures/", views.household_measures, name="household"),
]
