from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "Local offers: service standards, commitments, measures and milestones"
