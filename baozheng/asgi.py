import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozheng.settings")
django.setup(set_prefix=False)

from baozheng.lib.asgi import PooledASGIHandler, settle_heap  # noqa: E402

application = PooledASGIHandler()
settle_heap()
