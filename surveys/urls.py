from django.urls import path

from surveys import views

app_name = "surveys"

S = "staff/surveys/"
P = S + "<int:pk>/"

urlpatterns = [
    path(S, views.survey_list, name="survey-list"),
    path(S + "new/", views.survey_create, name="survey-create"),
    path(S + "polls/new/", views.poll_create, name="poll-create"),
    path(P, views.survey_detail, name="survey-detail"),
    path(P + "pages/new/", views.section_create, name="section-create"),
    path(P + "questions/new/", views.question_create, name="question-create"),
    path(P + "publish/", views.survey_publish, name="survey-publish"),
    path(P + "new-version/", views.survey_new_version, name="survey-new-version"),
    path(P + "close/", views.survey_close, name="survey-close"),
    path(P + "preview/", views.survey_preview, name="survey-preview"),
    path(P + "invite/", views.survey_invite, name="survey-invite"),
    path(P + "remind/", views.survey_remind, name="survey-remind"),
    path(P + "enter/", views.response_enter, name="response-enter"),
    path(P + "results/", views.survey_results, name="survey-results"),
    path(P + "results.csv", views.results_csv, name="results-csv"),
    path(P + "results.xlsx", views.results_xlsx, name="results-xlsx"),
    path(P + "summary/", views.summary_edit, name="summary-edit"),
    path(P + "focus-groups/new/", views.focus_group_link, name="focus-group-link"),
    path(P + "you-said-we-did/", views.changes, name="changes"),
    path(S + "you-said-we-did/<int:pk>/remove/", views.change_remove, name="change-remove"),
    path(S + "focus-groups/<int:pk>/", views.focus_group, name="focus-group"),
    path(S + "questions/<int:pk>/remove/", views.question_remove, name="question-remove"),
    path(S + "answers/<int:pk>/themes/", views.answer_themes, name="answer-themes"),
    # Answering from a personal link, without an account
    path("surveys/answer/<str:token>/", views.answer, name="answer"),
    path("surveys/answer/<str:token>/check/", views.answer_check, name="answer-check"),
    path("surveys/answer/<str:token>/done/", views.answer_done, name="answer-done"),
    path("surveys/answer/<str:token>/<int:page>/", views.answer, name="answer-page"),
    # Quick poll replies by text, from GOV.UK Notify
    path("surveys/texts/received/", views.texts_received, name="texts-received"),
    # A signed-in resident's invitations
    path("your-surveys/", views.own_list, name="own-list"),
    # What residents said and what changed
    path("consultations/<slug:slug>/", views.published_list, name="published-list"),
]
