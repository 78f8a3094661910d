from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Involvement structure: groups, recognition and meetings"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from groups import models

        # Who joined which group with which role, recognition decisions (grant eligibility hangs on
        # them), elections, the meeting record and its actions: every change logged with its actor.
        for model in (
            models.GroupSettings,
            models.Group,
            models.Membership,
            models.DocumentVersion,
            models.Election,
            models.ElectionPosition,
            models.Candidate,
            models.RecognitionReview,
            models.RecognitionEvidence,
            models.Venue,
            models.Meeting,
            models.Attendance,
            models.Decision,
            models.Action,
            models.PaperComment,
        ):
            auditlog.register(model)
