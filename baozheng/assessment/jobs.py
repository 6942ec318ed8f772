"""An assessment run computed by a background job: every item's source is read and
scored for every assessed unit, then the draft run is stored (one step per item, one
for storing). A scheme or period error is shown on the job page in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks import task

from baozheng.assessment import methods, services
from baozheng.assessment.models import Scheme
from baozheng.assessment.periods import AssessmentPeriod, PeriodError, parse_period
from baozheng.jobs import runner
from baozheng.jobs.models import Job


def start_compute(scheme: Scheme, period_text: str, period: AssessmentPeriod, user) -> Job:
    title = f"计算考评：{scheme.name}（{period.label}）"
    params = {"scheme": scheme.pk, "period": period_text, "back": reverse("assessment-index")}
    return runner.start("assessment", title, user, params)


def _compute(job: Job) -> dict:
    scheme = Scheme.objects.get(pk=job.params["scheme"])
    try:
        period = parse_period(job.params["period"], scheme.period_kind)
        run = services.create_run(scheme, period, job.user)
    except (PeriodError, methods.SchemeError) as exc:
        raise runner.JobFailed(f"计算失败：{exc}") from None
    except ValidationError as exc:
        raise runner.JobFailed(f"计算失败：{'；'.join(exc.messages)}") from None
    units = run.rows.count()
    return {
        "ok": True,
        "summary": f"已计算{run}（草稿，{units} 个单位），核对后发布。",
        "links": [["查看考评结果", reverse("assessment-run", args=[run.pk])]],
    }


@task()
def compute(job_id: str) -> str:
    return runner.run(job_id, _compute)
