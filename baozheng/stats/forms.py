from __future__ import annotations

from django import forms

from baozheng.lib.bounds import limited_text
from baozheng.stats.imports import KINDS, reason_problem
from baozheng.stats.models import ImportBatch

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入类型", choices=list(KINDS.items()), initial="observations")
    file = forms.FileField(label="文件（CSV 或 XLSX）")
    dry_run = forms.BooleanField(label="试导入（只检查，不保存）", required=False, initial=True)
    indicator = forms.CharField(label="宽表：指标（编码或名称）", required=False, max_length=100)
    period = forms.CharField(label="宽表：期间（如 2023年1-6月）", required=False, max_length=20)
    reason = limited_text(
        ImportBatch, "reason", "修改理由", "修改理由（修改已锁定数据时必填）", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大（上限 50 MB），请用命令行导入")
        return upload

    def clean(self):
        data = super().clean()
        wide = bool(data.get("indicator")) or bool(data.get("period"))
        if wide and data.get("kind") != "observations":
            raise forms.ValidationError("宽表（指标、期间）只用于导入数据")
        if problem := reason_problem(data.get("kind", ""), data.get("reason", "")):
            self.add_error("reason", problem)
        if wide and not (data.get("indicator") and data.get("period")):
            raise forms.ValidationError("宽表导入须同时填写指标和期间")
        return data
