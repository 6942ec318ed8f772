from __future__ import annotations

from django import forms

from baozheng.documents.models import DocumentSettings


class DocumentSettingsForm(forms.ModelForm):
    class Meta:
        model = DocumentSettings
        fields = [
            "issuer",
            "masthead",
            "style",
            "number_pattern",
            "recipients",
            "copies",
            "printer",
            "signed",
            "chinese_date",
        ]
        widgets = {"signed": forms.DateInput(attrs={"type": "date"})}

    def clean_number_pattern(self) -> str:
        """Only {year} and {month} may stand in the pattern; anything else is refused."""
        pattern = self.cleaned_data["number_pattern"]
        try:
            pattern.format(year=2023, month=6)
        except (KeyError, IndexError, ValueError):
            raise forms.ValidationError(
                "文号只能使用 {year}（年份）和 {month}（月份）两个占位符，且花括号须成对"
            ) from None
        return pattern
