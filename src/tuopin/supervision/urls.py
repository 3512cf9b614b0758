from django.urls import path

from tuopin.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("suggestions/<int:pk>/<slug:action>/", views.suggestion_action, name="suggestion_action"),
    path("opinions/", views.opinion_list, name="opinions"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/<slug:action>/", views.opinion_action, name="opinion_action"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/new/", views.clue_new, name="clue_new"),
    path("clues/export.csv", views.clue_export, name="clue_export"),
    path("clues/sample/", views.clue_sample, name="clue_sample"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("clues/<int:pk>/step/", views.clue_step, name="clue_step"),
    path("assessment/", views.assessment_list, name="assessments"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessment/<int:pk>/<slug:action>/", views.assessment_action, name="assessment_action"),
]
