import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozheng.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from baozheng.lib.admission import Admission  # noqa: E402
from baozheng.lib.asgi import PooledASGIHandler, settle_heap  # noqa: E402

application = Admission(
    PooledASGIHandler(),
    running=settings.WORKER_REQUESTS,
    queued=settings.WORKER_QUEUE,
    wait_seconds=settings.WORKER_QUEUE_SECONDS,
    exempt_prefixes=(settings.STATIC_URL,),
)
settle_heap()
