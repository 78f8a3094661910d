from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Concerns and complaints: procedures, stages, cases and their deadlines"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db import transaction
        from django.db.models.signals import post_save

        from complaints.models import Case, CaseStage, Procedure, Stage
        from groups.models import Meeting

        auditlog.register(Procedure)
        auditlog.register(Stage, m2m_fields={"next_stages"})
        auditlog.register(Case)
        auditlog.register(CaseStage)

        def meeting_saved(sender: type, instance: Meeting, **kwargs: object) -> None:
            # groups knows nothing of complaints: a stage waiting for a panel's next meeting
            # takes its due date from a meeting as soon as one is scheduled, and waits again if
            # that meeting is cancelled.
            from complaints.services import stages_attach_meetings

            transaction.on_commit(lambda: stages_attach_meetings(group=instance.group))

        post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="complaints.meeting_saved")
