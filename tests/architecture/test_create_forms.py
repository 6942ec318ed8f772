"""Every create view claims the form's one-time key (lib/once.py) and every POST form
carries one, so a new create form is protected against double submits by default (F17)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import baozheng

CREATE_NAME = re.compile(r"-(new|create|add|version)$")
# Create forms whose URL name does not say so: they create on a list or detail page.
CREATES_ON_THEIR_PAGE = {
    "tasks-progress",
    "tasks-instruct",
    "tasks-meeting-decide",
    "tasks-visit-finding",
    "tasks-enterprise",
    "projects-support",
    "assessment-figures",
    "assessment-adjustments",
    "reporting-forms",
    "reporting-form",
    "reporting-corrections",
    "headline-displays",
    "api-tokens",
}
# A preview stores nothing; a screen asks for its data version (JSON, read-only).
NOT_CREATES = {"assessment-preview-new", "headline-screen-version"}


def _patterns(resolver: URLResolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, entry.callback


def test_every_create_view_claims_the_form_key():
    views = dict(_patterns(get_resolver()))
    names = {n for n in views if CREATE_NAME.search(n)} - NOT_CREATES | CREATES_ON_THEIR_PAGE
    unprotected = sorted(n for n in names if not getattr(views[n], "once", False))
    assert unprotected == [], f"create views without @once: {unprotected}"


def test_every_post_form_carries_the_form_key():
    root = Path(baozheng.__file__).parent
    missing = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if text.count("{% csrf_token %}") != text.count('{% include "form_key.html" %}'):
            missing.append(str(template.relative_to(root)))
    assert missing == [], f'forms without {{% include "form_key.html" %}}: {missing}'
