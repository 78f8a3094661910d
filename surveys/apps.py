from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Consultations and surveys: questions, versions, invitations, responses and results"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from surveys.models import Question, Survey, SurveyVersion

        auditlog.register(Survey)
        auditlog.register(SurveyVersion)
        auditlog.register(Question)
