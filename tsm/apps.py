from django.apps import AppConfig


class TsmConfig(AppConfig):
    name = "tsm"
    verbose_name = "Tenant Satisfaction Measures: definitions, formulas and peer benchmarking"
