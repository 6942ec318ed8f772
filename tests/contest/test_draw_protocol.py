"""The draw protocol (pure): commitment, replay, borrowed-class constraint."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baozheng.contest import draw

SECRET = "ab" * 32


def test_the_same_stream_key_and_candidates_give_the_same_result_in_any_input_order():
    key = draw.derive_stream_key(SECRET, "12 34")
    assert draw.run("order", key, ["003", "001", "002"], {}) == draw.run(
        "order", key, ["001", "002", "003"], {}
    )


def test_a_different_witness_entropy_changes_the_stream_key():
    assert draw.derive_stream_key(SECRET, "1") != draw.derive_stream_key(SECRET, "2")


def test_the_commitment_covers_secret_candidates_kind_and_params():
    base = draw.commitment(SECRET, "topic", ["a", "b", "c"], {"count": 1})
    assert base == draw.commitment(SECRET, "topic", ["c", "a", "b"], {"count": 1})
    assert base != draw.commitment("cd" * 32, "topic", ["a", "b", "c"], {"count": 1})
    assert base != draw.commitment(SECRET, "topic", ["a", "b", "d"], {"count": 1})
    assert base != draw.commitment(SECRET, "sampling", ["a", "b", "c"], {"count": 1})
    assert base != draw.commitment(SECRET, "topic", ["a", "b", "c"], {"count": 2})


def test_the_documented_stream_is_hmac_sha256_of_a_big_endian_counter():
    import hashlib
    import hmac

    key = draw.derive_stream_key(SECRET, "")
    expected = int.from_bytes(
        hmac.new(bytes.fromhex(key), (0).to_bytes(8, "big"), hashlib.sha256).digest()[:8], "big"
    )
    assert draw.RandomStream(key).next64() == expected


def _record(kind, candidates, params, entropy="w"):
    key = draw.derive_stream_key(SECRET, entropy)
    return dict(
        kind=kind,
        secret=SECRET,
        entropy=entropy,
        stream_key=key,
        candidates=candidates,
        params=params,
        published_commitment=draw.commitment(SECRET, kind, candidates, params),
        recorded_result=draw.run(kind, key, candidates, params),
    )


def test_a_faithful_record_verifies():
    assert draw.verify(**_record("topic", ["t1", "t2", "t3", "t4"], {"count": 2})).ok


def test_a_commitment_mismatch_is_detected():
    record = _record("order", ["1", "2", "3"], {})
    record["candidates"] = ["1", "2", "4"]  # a candidate swapped after publication
    result = draw.verify(**record)
    assert not result.commitment_ok and not result.ok


def test_an_altered_result_is_detected():
    record = _record("order", ["1", "2", "3", "4", "5"], {})
    record["recorded_result"] = list(reversed(record["recorded_result"]))
    assert not draw.verify(**record).result_ok


def test_a_revealed_secret_that_was_not_committed_is_detected():
    record = _record("order", ["1", "2", "3"], {})
    record["secret"] = "cd" * 32
    assert not draw.verify(**record).ok


def test_the_shuffle_is_roughly_uniform():
    counts = Counter(
        tuple(draw.shuffle(draw.derive_stream_key(SECRET, str(i)), "abc")) for i in range(3000)
    )
    assert len(counts) == 6 and min(counts.values()) > 400


def test_sampling_takes_the_requested_count_and_refuses_too_many():
    key = draw.derive_stream_key(SECRET, "")
    assert len(draw.run("sampling", key, list("abcdef"), {"count": 3})) == 3
    with pytest.raises(draw.DrawError):
        draw.run("sampling", key, list("ab"), {"count": 3})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=8), st.integers(0, 10**6))
def test_a_borrowed_class_is_never_of_the_contestants_own_school(schools, salt):
    contestants = [["contestant", f"{i:03d}", s] for i, s in enumerate(schools)]
    classes = [["class", f"{s}{k}", s] for s in "ABCD" for k in range(len(schools))]
    result = draw.borrowed_classes(draw.derive_stream_key(SECRET, str(salt)), contestants + classes)
    school_of = {c[1]: c[2] for c in classes}
    assert set(result) == {c[1] for c in contestants}
    assert len(set(result.values())) == len(result)
    assert all(school_of[result[c[1]]] != c[2] for c in contestants)


def test_a_borrowed_class_draw_that_cannot_avoid_own_schools_is_refused():
    rows = [
        ["contestant", "001", "A"],
        ["contestant", "002", "B"],
        ["class", "A1", "A"],
        ["class", "B1", "A"],
    ]
    with pytest.raises(draw.DrawError, match="非本校"):
        draw.borrowed_classes(draw.derive_stream_key(SECRET, ""), rows)


def test_the_module_does_not_import_django():
    import ast
    import inspect

    for module in (draw,):
        tree = ast.parse(inspect.getsource(module))
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not any(name.startswith("django") for name in names)
