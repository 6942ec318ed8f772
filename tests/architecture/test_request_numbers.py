"""Numbers a request carries are parsed by lib/bounds before they reach a lookup or a date:
a raw parameter in `pk=` made the database layer raise on "x", `int()` let 10000 through as
a year and 10**20 into SQLite, and each was a server error (tests/hardening/test_forged_ids.py
shows the pages that had them). This keeps the raw forms from coming back."""

from __future__ import annotations

import re
from pathlib import Path

import baozheng

RAW = re.compile(
    r"(?:\bpk|_id)(?:__in)?=\s*(?:request\.(?:GET|POST)|data)\.(?:get|getlist)\("
    r"|\bint\(\s*request\.(?:GET|POST)"
)


def test_no_request_parameter_reaches_a_lookup_or_int_unparsed():
    root = Path(baozheng.__file__).parent
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW.search(line)
    ]
    assert found == [], "use lib.bounds.id_param / ids_param / parse_int:\n" + "\n".join(found)


def test_the_pattern_catches_the_forms_it_replaced():
    for line in (
        'Judge, pk=request.POST.get("judge"), contest=contest',
        'pk__in=request.POST.getlist("contestants"),',
        'school_id=data.get("school"), school__in=schools',
        'year = int(request.POST.get("year", ""))',
    ):
        assert RAW.search(line), line
    assert not RAW.search('pk=id_param(request.POST.get("judge"))')
