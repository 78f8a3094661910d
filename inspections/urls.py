from django.urls import path

from inspections import views

app_name = "inspections"

MS = "staff/mystery-shopping/"
WB = "staff/walkabouts/"

urlpatterns = [
    # Mystery shopping and case studies (staff)
    path(MS, views.shopping_overview, name="shopping"),
    path(MS + "scenarios/new/", views.scenario_create, name="scenario-create"),
    path(MS + "scenarios/<int:pk>/", views.scenario_detail, name="scenario-detail"),
    path(MS + "scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario-edit"),
    path(MS + "scenarios/<int:pk>/questions/", views.scenario_questions, name="scenario-questions"),
    path(MS + "scenarios/<int:pk>/assign/", views.exercise_assign, name="exercise-assign"),
    path(MS + "assessment-questions/<int:pk>/remove/", views.question_remove, name="question-remove"),
    path(MS + "exercises/<int:pk>/", views.exercise_detail, name="exercise-detail"),
    path(MS + "exercises/<int:pk>/paper/", views.exercise_paper, name="exercise-paper"),
    path(MS + "exercises/<int:pk>/cancel/", views.exercise_cancel, name="exercise-cancel"),
    path(MS + "results/", views.results, name="results"),
    path(MS + "shoppers/", views.shoppers, name="shoppers"),
    path(MS + "case-studies/", views.case_study_list, name="case-study-list"),
    path(MS + "case-studies/new/", views.case_study_create, name="case-study-create"),
    path(MS + "case-studies/<int:pk>/", views.case_study_detail, name="case-study-detail"),
    path(MS + "case-studies/<int:pk>/observations/new/", views.observation_add, name="observation-add"),
    path(MS + "case-studies/<int:pk>/finish/", views.case_study_close, name="case-study-close"),
    # A trained shopper's own exercises
    path("your-inspections/", views.own_list, name="own-list"),
    path("your-inspections/<int:pk>/", views.own_exercise, name="own-exercise"),
    # Walkabouts, environmental visual audits and tenant-led inspections (staff)
    path(WB, views.walkabout_list, name="walkabout-list"),
    path(WB + "new/", views.walkabout_create, name="walkabout-create"),
    path(WB + "actions/", views.action_list, name="action-list"),
    path(WB + "procedure/", views.procedure, name="procedure"),
    path(WB + "procedure/new/", views.procedure_create, name="procedure-create"),
    path(WB + "procedure/<int:pk>/document/", views.procedure_document, name="procedure-document"),
    path(WB + "<int:pk>/", views.walkabout_detail, name="walkabout-detail"),
    path(WB + "<int:pk>/edit/", views.walkabout_edit, name="walkabout-edit"),
    path(WB + "<int:pk>/complete/", views.walkabout_complete, name="walkabout-complete"),
    path(WB + "<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path(WB + "findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path(WB + "findings/<int:pk>/update/", views.finding_update, name="finding-update"),
    path(WB + "findings/<int:pk>/close/", views.finding_close, name="finding-close"),
    path(WB + "findings/<int:pk>/photos/new/", views.photo_add, name="photo-add"),
    path(WB + "finding-photos/<int:pk>/", views.photo, name="photo"),
    # Public, plain-English summaries of completed walkabouts
    path("walkabouts/<slug:slug>/", views.public_walkabout_list, name="public-list"),
    path("walkabouts/<slug:slug>/summaries/<int:pk>/", views.public_walkabout_summary, name="public-summary"),
]
