"""Display links for the meeting room's big screen (大屏).

Like the judges' scoring links (`contest.tokens`), the link is the credential: it is
`django.core.signing` over (link id, the link's key), so it cannot be forged without the
server's secret key, and a revoked link, or one whose key was replaced, stops working on
the next refresh. The screen reads as a viewer scoped to the link's unit with the view
capability only: the same scope filters as any user, read-only by construction (its pages
have no form and its viewer no other capability).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import signing
from django.http import Http404

from baozheng.headline.models import DisplayLink
from baozheng.org.models import Unit
from baozheng.org.roles import Cap

SALT = "baozheng.headline.screen"


def make_token(link: DisplayLink) -> str:
    return signing.dumps([link.pk, link.key[:12]], salt=SALT, compress=False)


def read_token(token: str) -> DisplayLink:
    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("大屏链接无效") from None
    link = DisplayLink.objects.select_related("unit").filter(pk=pk).first()
    if link is None or not link.active or link.key[:12] != key:
        raise Http404("大屏链接已撤销，请向调度办索取新链接")
    return link


@dataclass
class ScreenViewer:
    """A read-only viewer limited to one unit's subtree (what `org.permissions` asks of a user)."""

    unit: Unit
    is_authenticated: bool = True
    is_active: bool = True
    role: str = "display"
    pk: None = None
    caps: frozenset = frozenset({Cap.VIEW})
    _scope_paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._scope_paths = [self.unit.path]
