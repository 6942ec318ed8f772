"""Verifiable random draws (随机抽签) — pure Python, no Django, so anyone can replay them.

The protocol, precisely (docs/contest.md repeats it for outside verifiers):

1. **Commit.** Before the draw the organiser picks a random `secret` (64 hex digits) and
   publishes

       commitment = SHA-256( canonical_json({"secret": secret, "kind": kind,
                                             "candidates": sorted candidates,
                                             "params": params}) )

   `canonical_json` is `json.dumps(obj, sort_keys=True, ensure_ascii=False,
   separators=(",", ":"))` encoded as UTF-8; candidates are sorted by Python's default
   ordering (strings by code point, lists element by element). The hex digest is public;
   the secret is not.
2. **Run.** At the draw, witnesses supply any text (`entropy`, e.g. numbers they call out).
   The stream key is `SHA-256(secret + "|" + entropy)` as 64 hex digits. Because the entropy
   arrives after the commitment, the organiser cannot have searched for a favourable
   secret; because the secret was committed, witnesses cannot steer the result either.
3. **Shuffle.** A random stream: block *k* (k = 0, 1, …) is
   `HMAC-SHA256(key = bytes.fromhex(stream_key), msg = k as 8-byte big-endian)`; each block's
   first 8 bytes, big-endian, is one 64-bit number. `below(n)` takes numbers from the
   stream and rejects any ≥ 2^64 − (2^64 mod n) (no modulo bias), returning `x mod n`.
   The sorted candidate list is shuffled with Fisher–Yates: for i = n−1 down to 1,
   j = below(i+1), swap items i and j.
4. **Result** by kind:
   - `topic` (抽题), `sampling` (乡抽): the first `params["count"]` of the shuffled list.
   - `order` (出场顺序): the whole shuffled list (position 1 first).
   - `borrowed_class` (借班上课): candidates are `["contestant", number, school, central]`
     and `["class", code, school, central]` rows (`central` is the 中心校 code, "" when the
     school is not under one; older records have three-element rows without it). Classes are
     shuffled; contestants are taken in sorted order and matched to classes by augmenting
     paths (Kuhn's algorithm), each contestant trying classes in shuffled order and never a
     class of their own school or of their own central school. Each class is used once.
     The result maps contestant number → class code.
   - `placement` (场次安排): candidates are contestant numbers, `params["sessions"]` the
     session ids (ascending). The i-th contestant of the shuffled list goes to session
     `sessions[i mod len(sessions)]`, so sessions differ in size by at most one. The result
     maps contestant number → session id.

Replaying steps 1–4 from the published record must reproduce the commitment and the result.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

KINDS = ("topic", "order", "borrowed_class", "sampling", "placement")


class DrawError(ValueError):
    """A draw that cannot run as asked (wrong parameters, no valid assignment); Chinese text."""


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def sort_candidates(candidates: Sequence[Any]) -> list[Any]:
    return sorted(list(c) if isinstance(c, list | tuple) else c for c in candidates)


def new_secret() -> str:
    return secrets.token_hex(32)


def commitment(secret: str, kind: str, candidates: Sequence[Any], params: dict[str, Any]) -> str:
    if kind not in KINDS:
        raise DrawError(f"未知的抽签类型“{kind}”")
    payload = {
        "secret": secret,
        "kind": kind,
        "candidates": sort_candidates(candidates),
        "params": params,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def derive_stream_key(secret: str, entropy: str) -> str:
    return hashlib.sha256(f"{secret}|{entropy}".encode()).hexdigest()


class RandomStream:
    """Unbiased integers from HMAC-SHA256(stream_key, counter); the only randomness a draw uses."""

    def __init__(self, stream_key: str) -> None:
        self.key = bytes.fromhex(stream_key)
        self.counter = 0

    def next64(self) -> int:
        block = hmac.new(self.key, self.counter.to_bytes(8, "big"), hashlib.sha256).digest()
        self.counter += 1
        return int.from_bytes(block[:8], "big")

    def below(self, n: int) -> int:
        limit = 2**64 - (2**64 % n)
        while True:
            x = self.next64()
            if x < limit:
                return x % n


def shuffle(stream_key: str, items: Sequence[Any]) -> list[Any]:
    out = list(items)
    stream = RandomStream(stream_key)
    for i in range(len(out) - 1, 0, -1):
        j = stream.below(i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def _count(params: dict[str, Any], available: int) -> int:
    count = params.get("count")
    if not isinstance(count, int) or count < 1:
        raise DrawError("抽取数量必须是正整数")
    if count > available:
        raise DrawError(f"抽取数量 {count} 超过候选数 {available}")
    return count


def _home(row: Sequence[Any]) -> tuple[str, str]:
    """(school, central school) of a candidate row; "" when the row has no central school."""
    return (row[2], row[3] if len(row) > 3 else "")


def _conflict(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] == b[0] or (bool(a[1]) and a[1] == b[1])


def borrowed_classes(stream_key: str, candidates: Sequence[Any]) -> dict[str, str]:
    """Contestant number → class code, never a class of the contestant's own school or
    own central school."""
    rows = sort_candidates(candidates)
    contestants = [(r[1], _home(r)) for r in rows if r[0] == "contestant"]
    classes = shuffle(stream_key, [(r[1], _home(r)) for r in rows if r[0] == "class"])
    if len(classes) < len(contestants):
        raise DrawError(f"可借班级 {len(classes)} 个，少于选手 {len(contestants)} 人")
    home_of_class = dict(classes)
    holder: dict[str, str] = {}  # class code -> contestant number

    def place(number: str, home: tuple[str, str], seen: set[str]) -> bool:
        for code, class_home in classes:
            if _conflict(class_home, home) or code in seen:
                continue
            seen.add(code)
            other = holder.get(code)
            if other is None or place(other, homes[other], seen):
                holder[code] = number
                return True
        return False

    homes = dict(contestants)
    for number, home in contestants:
        if not place(number, home, set()):
            raise DrawError(
                f"无法为选手 {number} 分配非本校、非本中心校的班级，请增加其他学校的班级"
            )
    result = {number: code for code, number in holder.items()}
    assert not any(_conflict(home_of_class[result[n]], h) for n, h in contestants)
    return dict(sorted(result.items()))


def placement(stream_key: str, candidates: Sequence[Any], params: dict[str, Any]) -> dict[str, int]:
    sessions = params.get("sessions")
    if not sessions or not all(isinstance(s, int) for s in sessions):
        raise DrawError("请先为该组别设置场次")
    dealt = shuffle(stream_key, sort_candidates(candidates))
    return dict(sorted((n, sessions[i % len(sessions)]) for i, n in enumerate(dealt)))


def run(kind: str, stream_key: str, candidates: Sequence[Any], params: dict[str, Any]) -> Any:
    """The result of a draw: a deterministic function of (kind, stream_key, candidates, params)."""
    ordered = sort_candidates(candidates)
    if kind == "order":
        return shuffle(stream_key, ordered)
    if kind in ("topic", "sampling"):
        return shuffle(stream_key, ordered)[: _count(params, len(ordered))]
    if kind == "borrowed_class":
        return borrowed_classes(stream_key, ordered)
    if kind == "placement":
        return placement(stream_key, ordered, params)
    raise DrawError(f"未知的抽签类型“{kind}”")


@dataclass(frozen=True)
class Verification:
    commitment_ok: bool
    result_ok: bool
    key_ok: bool
    replayed: Any

    @property
    def ok(self) -> bool:
        return self.commitment_ok and self.result_ok and self.key_ok


def verify(
    *,
    kind: str,
    secret: str,
    entropy: str,
    stream_key: str,
    candidates: Sequence[Any],
    params: dict[str, Any],
    published_commitment: str,
    recorded_result: Any,
) -> Verification:
    """Replay a recorded draw: the commitment, the stream key and the result must all match."""
    commitment_ok = commitment(secret, kind, candidates, params) == published_commitment
    key_ok = derive_stream_key(secret, entropy) == stream_key
    replayed = run(kind, stream_key, candidates, params)
    # JSON round trip so that tuples and lists compare alike, as the stored record does.
    result_ok = json.loads(canonical_json(replayed)) == json.loads(canonical_json(recorded_result))
    return Verification(commitment_ok, result_ok, key_ok, replayed)
