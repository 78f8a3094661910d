from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Consultations and surveys: questions, versions, invitations, responses and results"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from surveys.models import Change, FocusGroup, Question, Survey, SurveyVersion

        auditlog.register(Survey)
        auditlog.register(SurveyVersion)
        auditlog.register(Question)
        auditlog.register(Change)
        auditlog.register(FocusGroup)
