"""Registering the classes a venue offers for borrowed-class teaching (借班上课), by form
or by importing a file.

Each class records its school, school stage (学段), grade, optional subject, name and size:
the borrowed-class draw only offers a contestant classes of their division's stage (and
grade band), never of their own school or central school (`draw_service.eligible_classes`).

Import format (xlsx or csv, Chinese or English headers): 学校 school (code or exact name,
within the contest's organising unit), 学段 school_stage, 年级 grade (1–12), 学科 subject
(optional), 班级 name, 人数 size. Rows match on school + class name within the venue, so
importing the same file twice changes nothing; any error → nothing is written; a dry run
reports exactly what the import would do; a real import that changes anything is one audit
event on the contest (the contest setup imports' `SetupImporter`).
"""

from __future__ import annotations

from typing import Any

from django import forms

from baozheng.contest.forms import contest_units
from baozheng.contest.models import SchoolStage, TeachingClass, Venue
from baozheng.contest.setup_imports import Item, SetupImporter, choice, required
from baozheng.lib.bounds import report_overlong
from baozheng.lib.tabular import Column, ImportReport, Row, match_one
from baozheng.org.models import Unit, UnitKind

CLASS_COLUMNS = [
    Column("school", ("school", "学校")),
    Column("school_stage", ("school_stage", "学段")),
    Column("grade", ("grade", "年级")),
    Column("subject", ("subject", "学科"), required=False),
    Column("name", ("name", "班级")),
    Column("size", ("size", "人数")),
]
MAX_GRADE = 12


def class_code(school: Unit, name: str) -> str:
    """A stable code from school and class name, so a re-import matches the same class
    (whole: the column holds the longest school code and class name)."""
    return f"{school.code}/{name}"


def schools_of(venue: Venue):
    return (
        contest_units(venue.zone.contest)
        .filter(kind__in=[UnitKind.SCHOOL, UnitKind.CENTRAL_SCHOOL])
        .order_by("path")
    )


class TeachingClassForm(forms.ModelForm):
    class Meta:
        model = TeachingClass
        fields = ["school", "school_stage", "grade", "subject", "name", "size"]

    def __init__(self, *args, venue: Venue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["school"].queryset = schools_of(venue)
        for name in ("school_stage", "grade", "size"):
            self.fields[name].required = True
        self.fields["grade"].max_value = MAX_GRADE
        self.fields["grade"].widget.attrs.update({"min": 1, "max": MAX_GRADE})

    def clean_grade(self) -> int:
        grade = self.cleaned_data["grade"]
        if not 1 <= grade <= MAX_GRADE:
            raise forms.ValidationError(f"年级应在 1 到 {MAX_GRADE} 之间")
        return grade

    def clean(self):
        data = super().clean()
        school, name = data.get("school"), data.get("name")
        if school and name:
            duplicate = TeachingClass.objects.filter(venue=self.venue, school=school, name=name)
            if self.instance.pk:
                duplicate = duplicate.exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError(f"{school.name}{name} 已登记")
        return data

    def save(self, commit: bool = True) -> TeachingClass:
        teaching_class = super().save(commit=False)
        teaching_class.venue = self.venue
        if not teaching_class.code:
            teaching_class.code = class_code(teaching_class.school, teaching_class.name)
        if commit:
            teaching_class.save()
        return teaching_class


def _whole(text: str, what: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{what}“{text}”不是整数") from None
    if not low <= value <= high:
        raise ValueError(f"{what}应在 {low} 到 {high} 之间")
    return value


def import_classes(
    venue: Venue, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    return ClassImporter(venue, filename, user).run(data, filename, dry_run)


class ClassImporter(SetupImporter):
    kind, columns, model = "借班班级", CLASS_COLUMNS, TeachingClass

    def __init__(self, venue: Venue, filename: str, user) -> None:
        super().__init__(venue.zone.contest, filename, user)
        self.fixed = {"venue": venue}
        self.schools = {u.code: u for u in schools_of(venue)}
        self.pairs = [(u.code, u.name) for u in self.schools.values()]
        self.existing = {
            (k.school_id, k.name): k for k in TeachingClass.objects.filter(venue=venue)
        }

    def named(self, key: Any) -> str:
        school = next(u for u in self.schools.values() if u.pk == key[0])
        return f"{school.name}{key[1]} "

    def parse_row(self, row: Row, report: ImportReport) -> Item | None:
        labels = {"school": "学校", "name": "班级", "grade": "年级", "size": "人数"}
        report_overlong(
            report, [row], CLASS_COLUMNS, TeachingClass, {"name": "name", "subject": "subject"}
        )
        if not required(report, row, labels):
            return None
        try:
            school = self.schools[match_one(row.get("school"), self.pairs, "学校")]
            stage = choice(row.get("school_stage"), SchoolStage, "学段")
            grade = _whole(row.get("grade"), "年级", 1, MAX_GRADE)
            size = _whole(row.get("size"), "人数", 1, 200)
        except ValueError as exc:
            report.error(row.number, "", str(exc))
            return None
        name = row.get("name")
        return (
            (school.pk, name),
            {
                "school": school,
                "name": name,
                "code": class_code(school, name),
                "school_stage": stage,
                "grade": grade,
                "subject": row.get("subject"),
                "size": size,
            },
        )
