"""What each kind of job is called and how its progress is counted, in one place for the
job page, the job list of the admin and the scheduler."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str  # what the job is, in Chinese
    step: str  # what one step of its progress is ("" for an import: rows by stage)
    unit: str  # the counting word of a step
    retry: bool  # may a failed job be started again with the same parameters
    task: str  # the django-tasks function that runs it, `job_id` its one argument


KINDS: dict[str, Kind] = {
    "import": Kind("数据导入", "", "行", False, "baozheng.jobs.tasks.import_file"),
    "document": Kind("文档生成", "已完成步骤", "步", True, "baozheng.monitor.jobs.build_document"),
    "project-document": Kind(
        "文档生成", "已完成步骤", "步", True, "baozheng.projects.jobs.build_document"
    ),
    "assessment": Kind("考评计算", "已计分项目", "项", True, "baozheng.assessment.jobs.compute"),
    "release": Kind("发布快照", "已生成文档", "份", True, "baozheng.reporting.jobs.build_snapshot"),
    "push": Kind("发布推送", "已处理渠道", "个", True, "baozheng.headline.jobs.push"),
    "push-catchup": Kind("推送补发", "已检查发布", "次", True, "baozheng.headline.jobs.catch_up"),
    "remind": Kind("督办提醒", "已处理提醒", "条", True, "baozheng.tasks.jobs.remind"),
    "prune": Kind("清理过期记录", "已完成步骤", "步", True, "baozheng.jobs.tasks.prune"),
}
