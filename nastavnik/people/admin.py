from django.contrib import admin

from nastavnik.people.models import (
    Competency,
    CompetencyArea,
    Kinship,
    Person,
    Profile,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("full_name", "organization", "category", "class_name", "birth_date")
    list_filter = ("category", "organization")
    search_fields = ("search_name", "snils")
    raw_id_fields = ("user",)


class ProfileCompetencyInline(admin.TabularInline[ProfileCompetency, Profile]):
    model = ProfileCompetency
    extra = 0


class ProfileDeficitInline(admin.TabularInline[ProfileDeficit, Profile]):
    model = ProfileDeficit
    extra = 0


class SubjectAchievementInline(admin.TabularInline[SubjectAchievement, Profile]):
    model = SubjectAchievement
    extra = 0


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ("person", "organization", "preferred_format")
    raw_id_fields = ("person",)
    inlines = [ProfileCompetencyInline, ProfileDeficitInline, SubjectAchievementInline]


class CompetencyInline(admin.TabularInline[Competency, CompetencyArea]):
    model = Competency
    extra = 0


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(admin.ModelAdmin[CompetencyArea]):
    list_display = ("name", "code", "position")
    inlines = [CompetencyInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin[Competency]):
    list_display = ("name", "area", "code", "is_subject")
    list_filter = ("area", "is_subject")
    search_fields = ("name", "keywords")


@admin.register(Kinship)
class KinshipAdmin(admin.ModelAdmin[Kinship]):
    list_display = ("person_a", "person_b", "kind", "organization")
    list_filter = ("kind",)
    raw_id_fields = ("person_a", "person_b", "created_by")
