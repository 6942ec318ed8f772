"""API read cost: a token-authenticated read against the same read with a session login, and
a conditional read (ETag → 304) of an unchanged answer, in one run on the demo database.

    BAOZHENG_DATA_DIR=/tmp/bzdemo baozheng demo --no-serve
    BAOZHENG_DATA_DIR=/tmp/bzdemo python bench/api.py [--repeat 200]

Prints medians and ratios; the baseline is the session read of the same route.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozheng.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from baozheng.api import tokens
    from baozheng.api.models import ApiToken
    from baozheng.org.models import Unit, User

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    ApiToken.objects.filter(name="bench").delete()
    User.objects.filter(username__startswith="api-", api_token__isnull=True).delete()
    city = Unit.objects.get(code="411300")
    _, secret = tokens.issue("bench", "dispatch", [city])
    url = "/api/v1/stats/observations?period=2023-09&page_size=200"
    session = Client()
    session.force_login(User.objects.get(username="dispatch"))
    token = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    etag = token.get(url)["ETag"]

    def timed(call) -> float:
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = call()
            samples.append(time.perf_counter() - started)
            assert response.status_code in (200, 304), response.status_code
        return statistics.median(samples) * 1000

    base = timed(lambda: session.get(url))
    with_token = timed(lambda: token.get(url))
    not_modified = timed(lambda: token.get(url, HTTP_IF_NONE_MATCH=etag))
    print(f"session read (baseline): median {base:.2f} ms")
    print(f"token read:              median {with_token:.2f} ms  ({with_token / base:.2f}×)")
    print(f"token read, 304:         median {not_modified:.2f} ms  ({not_modified / base:.2f}×)")
    ApiToken.objects.filter(name="bench").delete()


if __name__ == "__main__":
    main()
