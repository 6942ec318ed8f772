"""目标责任书: the signed document's checks and the form that files a letter.

The document is judged by its leading bytes (magic numbers), never by its name or the
browser's word (lib/filetypes.py): a PDF, a JPEG or a PNG, at most 10 MB; anything else is
refused in Chinese and nothing is stored. The stored name is random with the detected
type's extension, so no uploaded name reaches the file system."""

from __future__ import annotations

import uuid

from django import forms
from django.core.files.uploadedfile import UploadedFile

from baozheng.lib.filetypes import LETTER, detect
from baozheng.org.permissions import can, visible_units
from baozheng.org.roles import Cap
from baozheng.stats.models import ResponsibilityLetter, Target

MAX_LETTER_BYTES = 10 * 1024 * 1024


def check_document(upload: UploadedFile) -> tuple[str, str]:
    """(content type, stored file name) of an acceptable signed document, else a
    ValidationError in Chinese."""
    if upload.size == 0:
        raise forms.ValidationError(f"“{upload.name}”是空文件")
    if upload.size > MAX_LETTER_BYTES:
        raise forms.ValidationError(
            f"“{upload.name}”超过 {MAX_LETTER_BYTES // 1024 // 1024} MB，请压缩后上传"
        )
    found = detect(upload, LETTER)
    if found:
        return found.content_type, f"{uuid.uuid4().hex}.{found.extension}"
    raise forms.ValidationError(
        f"“{upload.name}”不是 PDF、JPEG 或 PNG 文件（请上传签字盖章后的扫描件）"
    )


class LetterForm(forms.ModelForm):
    class Meta:
        model = ResponsibilityLetter
        fields = ["unit", "year", "signer", "signer_title", "signed_on", "targets", "document"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "targets": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = visible_units(user)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["targets"].queryset = (
            Target.objects.filter(unit__in=units)
            .select_related("indicator", "unit")
            .order_by("unit__path", "year", "indicator__order", "month")
        )
        self.fields["targets"].label_from_instance = lambda t: (
            f"{t.unit.name} {t.period_label}{t.indicator.name}（{t.get_basis_display()}）"
        )
        self.fields["document"].help_text = "签字盖章后的扫描件：PDF、JPEG 或 PNG，不超过 10 MB"

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.content_type, self.stored_name = check_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        unit, year = data.get("unit"), data.get("year")
        if unit is not None and not can(self.user, Cap.DISPATCH, unit):
            self.add_error("unit", "您没有为该单位登记目标责任书的权限")
        for target in data.get("targets") or ():
            if unit is not None and (target.unit_id != unit.pk or target.year != year):
                self.add_error(
                    "targets",
                    f"“{target.unit.name} {target.period_label}{target.indicator.name}”"
                    f"不是{unit.name}{year}年的目标",
                )
        return data

    def save(self, commit: bool = True) -> ResponsibilityLetter:
        letter = super().save(commit=False)
        letter.content_type = self.content_type
        letter.document.name = self.stored_name
        letter.uploaded_by = self.user
        if commit:
            letter.save()
            self.save_m2m()
        return letter
