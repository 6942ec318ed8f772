"""The administrator's form for issuing an API token."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone

from baozheng.api.tokens import TOKEN_ROLES
from baozheng.org.models import Unit
from baozheng.org.permissions import visible_units


class TokenForm(forms.Form):
    name = forms.CharField(
        label="系统名称", max_length=60, help_text="如：省统计联网直报、市税务局征管系统"
    )
    role = forms.ChoiceField(
        label="角色", choices=[(r.value, r.label) for r in TOKEN_ROLES], initial="leader"
    )
    units = forms.ModelMultipleChoiceField(
        label="数据范围", queryset=Unit.objects.none(), help_text="令牌只能读写这些单位及其下级"
    )
    owner_unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    expires_on = forms.DateField(
        label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    allowed_addresses = forms.CharField(
        label="允许的客户端地址",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个 IP 地址或网段，如 10.1.2.0/24；留空不限",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An administrator issues tokens only within their own scope.
        units = visible_units(user).exclude(kind__in=["school", "central_school"]).order_by("path")
        self.fields["units"].queryset = units
        self.fields["owner_unit"].queryset = visible_units(user).order_by("path")

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        expires = timezone.make_aware(datetime.combine(day, time.max))
        if expires <= timezone.now():
            raise forms.ValidationError("有效期应晚于今天")
        return expires
