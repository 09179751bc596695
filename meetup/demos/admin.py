from django.contrib import admin

from meetup.demos.models import Demo, DemoRun


@admin.register(Demo)
class DemoAdmin(admin.ModelAdmin):
    list_display = ["project", "hub_model", "task", "revision", "enabled", "updated_at"]
    list_filter = ["enabled", "task"]
    raw_id_fields = ["project", "hub_model", "updated_by"]


@admin.register(DemoRun)
class DemoRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "demo", "user", "status", "device", "batch_size", "latency_ms", "created_at"]
    list_filter = ["status", "device"]
    raw_id_fields = ["demo", "user"]
    readonly_fields = [f.name for f in DemoRun._meta.fields]
