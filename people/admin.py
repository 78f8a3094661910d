from django.contrib import admin

from people.models import FormatNeed, Interest


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "kind"]
    list_filter = ["kind"]


@admin.register(FormatNeed)
class FormatNeedAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]
