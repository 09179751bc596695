from django.contrib import admin

from meetup.program.models import Application, Assignment, Call, Conflict, Criterion, Question, Review, Score


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "timezone", "winners", "anonymised", "decisions_sent_at"]
    list_filter = ["anonymised"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["organisers", "judges"]
    raw_id_fields = ["decisions_broadcast"]
    readonly_fields = ["decisions_sent_at"]
    inlines = [QuestionInline, CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["startup_name", "call", "created_by", "status", "shortlisted", "decision", "submitted_at"]
    list_filter = ["status", "decision", "shortlisted", "call"]
    search_fields = ["startup_name", "created_by__username", "created_by__email"]
    raw_id_fields = ["call", "created_by"]
    filter_horizontal = ["projects"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["application", "judge"]
    list_filter = ["application__call"]
    raw_id_fields = ["application", "judge"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["application", "judge", "reason", "created_at"]
    list_filter = ["application__call"]
    search_fields = ["judge__username", "application__startup_name"]
    raw_id_fields = ["application", "judge"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "judge", "updated_at"]
    list_filter = ["application__call"]
    search_fields = ["judge__username", "application__startup_name"]
    raw_id_fields = ["application", "judge"]
    inlines = [ScoreInline]
