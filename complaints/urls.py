from django.urls import path

from complaints import views

app_name = "complaints"

S = "staff/complaints/"
C = S + "cases/<int:pk>/"

urlpatterns = [
    path(S, views.overview, name="overview"),
    path(S + "cases/", views.case_list, name="case-list"),
    path(S + "cases/new/", views.case_create, name="case-create"),
    path(C, views.case_detail, name="case-detail"),
    path(C + "acknowledge/", views.case_acknowledge, name="case-acknowledge"),
    path(C + "extend/", views.case_extend, name="case-extend"),
    path(C + "respond/", views.case_respond, name="case-respond"),
    path(C + "escalate/", views.case_escalate, name="case-escalate"),
    path(C + "refer/", views.case_refer, name="case-refer"),
    path(C + "dissatisfied/", views.case_dissatisfied, name="case-dissatisfied"),
    path(C + "learning/", views.case_learning, name="case-learning"),
    path(C + "assign/", views.case_assign, name="case-assign"),
    path(C + "close/", views.case_close, name="case-close"),
    path(S + "attachments/<int:pk>/", views.attachment, name="attachment"),
    path(S + "procedures/", views.procedure_list, name="procedures"),
    path(S + "stages/<int:pk>/", views.stage_edit, name="stage-edit"),
    path(S + "letters/", views.letter_list, name="letters"),
    path(S + "letters/<str:kind>/", views.letter_edit, name="letter-edit"),
    path(S + "settings/", views.settings_edit, name="settings"),
    path(S + "annual-report/", views.annual_report, name="annual-report"),
    path(S + "panel-report/", views.panel_report, name="panel-report"),
    path(S + "self-assessment/", views.self_assessment, name="self-assessment"),
    # A resident's own cases
    path("your-cases/", views.own_list, name="own-list"),
    path("your-cases/new/", views.own_create, name="own-create"),
    path("your-cases/<int:pk>/", views.own_detail, name="own-detail"),
    path("your-cases/<int:pk>/received/", views.own_received, name="own-received"),
    path("your-cases/<int:pk>/escalate/", views.own_escalate, name="own-escalate"),
    path("your-cases/attachments/<int:pk>/", views.own_attachment, name="own-attachment"),
    # The oversight panel's quarterly report of concerns
    path("your-groups/concerns-report/", views.my_panel_report, name="my-panel-report"),
    # Published figures and learning
    path("complaints/<slug:slug>/", views.public_report, name="public-report"),
]
