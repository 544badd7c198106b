"""Edits: resolution of overlaps, and composition of passes back to original offsets."""
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.edits import OffsetMap, apply, compose, resolve, to_edits
from cleaner.model import Finding, Level


def finding(start, end, after, rule="r/a", priority=0, text="abcdefghijklmnop"):
    return Finding(rule, "spacing", Level.FIX, start, end, text[start:end], after, "m", priority)


def test_overlapping_rewrites_keep_the_stronger_and_report_the_other():
    a = finding(2, 6, "X", rule="r/a")
    b = finding(4, 8, "Y", rule="r/b", priority=1)
    res = resolve([a, b])
    assert res.chosen == [b] and res.losers == [(a, b)]


def test_resolution_does_not_depend_on_order():
    fs = [finding(0, 3, "X", "r/a"), finding(2, 5, "Y", "r/b"), finding(2, 5, "Z", "r/c"), finding(7, 9, "", "r/d")]
    assert resolve(fs).chosen == resolve(list(reversed(fs))).chosen


def test_overlapping_deletions_merge():
    text = "0123456789"
    edits = to_edits([finding(1, 5, ""), finding(3, 8, "")], text)
    assert edits == [(1, 8, "")]


@st.composite
def edit_lists(draw, text):
    n = len(text)
    points = sorted(draw(st.lists(st.integers(0, n), max_size=6, unique=True)))
    edits = []
    for a, b in zip(points[::2], points[1::2]):
        if draw(st.booleans()):
            b = a
        edits.append((a, b, draw(st.text("XYZ", max_size=3))))
    return edits


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_composed_net_edits_rebuild_every_pass(data):
    original = data.draw(st.text("abcdef", max_size=20))
    current, net = original, []
    for _ in range(3):
        edits = data.draw(edit_lists(current))
        net = compose(net, edits, current)
        current = apply(current, edits)
        assert apply(original, [(e.start, e.end, e.text) for e in net]) == current
        assert all(e.start <= e.end for e in net)
        assert all(a.end <= b.start for a, b in zip(net, net[1:]))


def test_offset_map_points_into_the_original():
    original = "aa BB cc"
    net = compose([], [(3, 5, "bbbb")], original)  # current: "aa bbbb cc"
    omap = OffsetMap(net)
    assert omap.to_original(0) == 0
    assert omap.to_original(8) == 6  # "cc" moved by two
    assert omap.to_original(4) == 3 and omap.to_original(5, end=True) == 5


def _resolve_by_pairs(rewrites):
    """The definition of resolution, checked pair by pair (quadratic): the oracle."""
    from cleaner.edits import _deletion, _overlap

    ranked = sorted(rewrites, key=lambda f: (-f.priority, -(f.end - f.start), f.start, f.rule, f.after or ""))
    chosen, losers = [], []
    for f in ranked:
        clash = next((c for c in chosen if _overlap((f.start, f.end), (c.start, c.end))
                      and not (_deletion(f) and _deletion(c))), None)
        if clash is None:
            chosen.append(f)
        else:
            losers.append((f, clash))
    chosen.sort(key=lambda f: (f.start, f.end, f.rule))
    return chosen, losers


@st.composite
def rewrite_lists(draw):
    text = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for i in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 8)))
        after = draw(st.sampled_from(["", "X", "YY"]))
        if after == "" and start == end:
            after = "Z"  # an empty deletion is no rewrite
        out.append(finding(start, end, after, rule=f"r/{i % 4}", priority=draw(st.integers(0, 2)), text=text))
    return out


@settings(max_examples=400, deadline=None)
@given(rewrite_lists())
def test_resolution_matches_the_pairwise_definition(rewrites):
    res = resolve(rewrites)
    assert (res.chosen, res.losers) == _resolve_by_pairs(rewrites)
