from django.contrib import admin

from resources.models import TrainingCourse, TrainingRecord

admin.site.register(TrainingCourse)
admin.site.register(TrainingRecord)
