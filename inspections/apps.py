from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Mystery shopping, walkabouts and tenant-led inspections"
