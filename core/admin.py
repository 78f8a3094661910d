from django.contrib import admin

from core.models import BankHoliday, ClosureDay


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "nation", "name", "added_by_staff"]
    list_filter = ["nation", "added_by_staff"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # A holiday added or edited here is never overwritten by sync_bank_holidays.
        obj.added_by_staff = True
        super().save_model(request, obj, form, change)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "organisation", "reason"]
    list_filter = ["organisation"]
