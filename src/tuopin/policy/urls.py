from django.urls import path

from tuopin.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("in-force/", views.in_force, name="in_force"),
    path("compare/", views.pack_compare, name="compare"),
    path("packs/new/", views.pack_new, name="new"),
    path("packs/<int:pk>/", views.pack_detail, name="detail"),
    path("packs/<int:pk>/draft/", views.pack_draft, name="draft"),
    path("packs/<int:pk>/value/", views.value_edit, name="value_edit"),
    path("packs/<int:pk>/value/remove/", views.value_remove, name="value_remove"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="publish"),
]
