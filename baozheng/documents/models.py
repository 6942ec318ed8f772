"""Per document type, who issues it and to whom: set by the city's admin, never in code."""

from __future__ import annotations

from django.db import models


class DocType(models.TextChoices):
    GENERAL = "general", "其他文件"
    STATS_BULLETIN = "stats_bulletin", "经济运行通报"
    PROJECTS_BULLETIN = "projects_bulletin", "重点项目建设月通报"
    ASSESSMENT_NOTICE = "assessment_notice", "考评结果通报"
    CONTEST = "contest", "大比武成绩与获奖名单"


class DocumentSettings(models.Model):
    doc_type = models.CharField("文件类型", max_length=30, choices=DocType.choices, unique=True)
    issuer = models.CharField(
        "发文机关署名", max_length=100, blank=True, help_text="如：某某市经济运行调度指挥部办公室"
    )
    masthead = models.CharField(
        "发文机关标志",
        max_length=100,
        blank=True,
        help_text="版头红色大字，如“经济运行通报”；空则用署名加“文件”",
    )
    style = models.CharField(
        "版头样式", max_length=10, choices=[("文件", "文件式"), ("简报", "简报式")], default="文件"
    )
    number_pattern = models.CharField(
        "发文字号或期号",
        max_length=100,
        blank=True,
        help_text="可用 {year}、{month}，如“某调〔{year}〕{month}号”或“第{month}期”",
    )
    recipients = models.CharField("主送机关", max_length=300, blank=True)
    copies = models.CharField("抄送", max_length=300, blank=True)
    printer = models.CharField("印发机关", max_length=100, blank=True)
    signed = models.DateField("成文日期", null=True, blank=True, help_text="空则为生成当日")
    chinese_date = models.BooleanField("日期用汉字（二〇二三年七月十日）", default=False)

    class Meta:
        verbose_name = "公文设置"
        verbose_name_plural = "公文设置"

    def __str__(self) -> str:
        return self.get_doc_type_display()
