"""The timeline's Qt-free logic: time scale, tag index (hit-testing, stacking), snapping, waveform envelopes."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette

from reviewer.audio.peaks import build_peaks
from reviewer.domain.parties import Actor, Party
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance, Word
from reviewer.ui.timeline.chrome import format_time, ruler_steps
from reviewer.ui.timeline.colors import TimelineColors, kind_hue
from reviewer.ui.timeline.index import EDGE_PX, LaneIndex, TagIndex, TagPart, pack_rows
from reviewer.ui.timeline.scale import MIN_MS_PER_PX, TimeScale
from reviewer.ui.timeline.snapping import SnapTargets, snap, snap_span
from reviewer.ui.timeline.spans import raster_rows, stack_rows
from reviewer.ui.timeline.waveform import column_envelope

# --- scale ------------------------------------------------------------------------------------------------------


def test_scale_fits_the_call_and_maps_both_ways() -> None:
    scale = TimeScale(60_000, 600)
    assert scale.ms_per_px == 100 and scale.visible_range() == (0, 60_000) and scale.is_fit
    assert scale.x_of(12_300) == pytest.approx(123) and scale.ms_at(123) == pytest.approx(12_300)


def test_zoom_keeps_the_time_under_the_anchor_and_clamps() -> None:
    scale = TimeScale(60_000, 600)
    before = scale.ms_at(150)
    scale.zoom(4, 150)
    assert scale.ms_per_px == pytest.approx(25) and scale.ms_at(150) == pytest.approx(before)
    scale.zoom(1e9, 150)
    assert scale.ms_per_px == MIN_MS_PER_PX
    scale.zoom(1e-9, 150)
    assert scale.is_fit and scale.start_ms == 0


def test_scroll_stays_inside_the_call() -> None:
    scale = TimeScale(60_000, 600)
    scale.zoom_to(10_000, 20_000)
    assert scale.visible_range() == (10_000, 20_000)
    scale.scroll_ms(-1e9)
    assert scale.start_ms == 0
    scale.scroll_px(1e9)
    assert scale.end_ms == pytest.approx(60_000)
    scale.scroll_px(-100)
    assert scale.visible_range() == (48_333, 58_333)


def test_zoom_to_a_tiny_span_centres_it_at_the_finest_zoom() -> None:
    scale = TimeScale(60_000, 600)
    scale.zoom_to(30_000, 30_010)
    assert scale.ms_per_px == MIN_MS_PER_PX and scale.visible_range() == (29_705, 30_305)


def test_resize_keeps_a_fitted_view_fitted_and_a_zoomed_view_zoomed() -> None:
    scale = TimeScale(60_000, 600)
    scale.set_width(1200)
    assert scale.is_fit and scale.ms_per_px == 50
    scale.zoom_to(10_000, 20_000)
    scale.set_width(600)
    assert scale.start_ms == pytest.approx(10_000) and scale.ms_per_px == pytest.approx(10_000 / 1200)
    assert scale.samples_per_pixel(8000) == pytest.approx(10_000 / 1200 * 8)


def test_reveal_scrolls_a_span_into_view_without_zooming() -> None:
    scale = TimeScale(60_000, 600)
    scale.zoom_to(0, 10_000)
    assert not scale.reveal(9_000, 12_000)  # partly visible: leave the view alone
    assert scale.reveal(40_000, 42_000) and scale.visible_range() == (36_000, 46_000)
    assert scale.reveal(5_000, 30_000, margin=0.1) and scale.visible_range() == (4_000, 14_000)


# --- index ------------------------------------------------------------------------------------------------------


def _tag(tag_id: int, start: int, end: int, actor: Actor = Actor.AGENT, kind: str = "warning") -> Tag:
    return Tag(kind, actor, start, end, id=tag_id)


def test_range_query_matches_brute_force_and_never_misses_long_tags() -> None:
    rng = np.random.default_rng(3)
    starts, lengths = rng.integers(0, 100_000, 400).tolist(), rng.integers(0, 5000, 400).tolist()
    tags = [_tag(i, s, s + d) for i, (s, d) in enumerate(zip(starts, lengths, strict=True))]
    tags.append(_tag(999, 0, 3_600_000))  # a whole-call span sorts first and must still be found at the end
    lane = LaneIndex(tags)
    for a, b in [(0, 10), (50_000, 50_500), (99_000, 200_000), (3_599_000, 3_599_500), (70_000, 70_000)]:
        found = {int(lane.ids[i]) for i in lane.overlapping(a, b)}
        assert found == {t.id for t in tags if t.start_ms <= b and t.end_ms >= a}
    assert 999 in {int(lane.ids[i]) for i in lane.overlapping(3_599_000, 3_599_500)}


def test_overlapping_tags_stack_into_rows_that_later_tags_do_not_change() -> None:
    assert pack_rows([0, 100, 150, 200, 300], [200, 150, 400, 250, 300]) == [0, 1, 1, 0, -1]
    before = pack_rows([0, 100], [200, 150])
    assert pack_rows([0, 100, 500], [200, 150, 600])[:2] == before
    index = TagIndex([_tag(1, 0, 200), _tag(2, 100, 150), _tag(3, 50, 60, Actor.CUSTOMER)])
    assert index.lane(Actor.AGENT).row_count == 2 and index.row_of(index.by_id[2]) == 1
    assert index.lane(Actor.CUSTOMER).row_count == 1


@pytest.mark.parametrize("ms_per_px", [MIN_MS_PER_PX, 2250.0, 100_000.0])
def test_edges_are_at_least_eight_pixels_wide_at_every_zoom(ms_per_px: float) -> None:
    for width_px in (0.3, 5.0, 40.0, 500.0):
        start = 1_000_000
        end = start + max(1, round(width_px * ms_per_px))
        lane = LaneIndex([_tag(1, start, end)])

        def part(offset_px: float, edge: int, lane: LaneIndex = lane) -> TagPart | None:
            hit = lane.hit(edge + offset_px * ms_per_px, 0, ms_per_px)
            return None if hit is None else hit.part

        assert part(-(EDGE_PX - 0.5), start) is TagPart.START
        assert part(EDGE_PX - 0.5, end) is TagPart.END
        assert part(-(EDGE_PX + 1), start) is None and part(EDGE_PX + 1, end) is None
        if width_px >= 3 * EDGE_PX:  # wide: the edge reaches 8 px inside too, the middle is body
            assert part(EDGE_PX - 0.5, start) is TagPart.START
            assert part((end - start) / 2 / ms_per_px, start) is TagPart.BODY


def test_tiny_tags_give_the_edge_nearest_the_pointer_and_keep_a_body() -> None:
    lane = LaneIndex([_tag(1, 1000, 1012)])  # 12 px at 1 ms/px
    assert lane.hit(1002, 0, 1.0).part is TagPart.START  # type: ignore[union-attr]
    assert lane.hit(1010, 0, 1.0).part is TagPart.END  # type: ignore[union-attr]
    assert lane.hit(1006, 0, 1.0).part is TagPart.BODY  # type: ignore[union-attr]


def test_points_are_hit_within_eight_pixels_in_any_row_and_drawn_over_spans_win_up_close() -> None:
    lane = LaneIndex([_tag(1, 0, 10_000), _tag(2, 0, 10_000), _tag(3, 5000, 5000, kind="hang_up")])
    for row in (0, 1, None):  # the marker crosses every row; 3 px away it beats the span it sits on
        hit = lane.hit(5000 + 3 * 10, row, 10.0)
        assert hit is not None and hit.tag.id == 3 and hit.part is TagPart.BODY
    assert lane.hit(5000 + 7 * 10, None, 10.0).tag.id == 3  # type: ignore[union-attr]
    assert lane.hit(5000 + 9 * 10, None, 10.0) is None
    assert lane.hit(5000 + 7 * 10, 1, 10.0).tag.id == 2  # type: ignore[union-attr]


def test_the_selected_tag_wins_a_shared_edge() -> None:
    lane = LaneIndex([_tag(1, 0, 1000), _tag(2, 1000, 2000)])
    assert lane.hit(1000, 0, 1.0, prefer_id=2).tag.id == 2  # type: ignore[union-attr]
    assert lane.hit(1000, 0, 1.0, prefer_id=1).tag.id == 1  # type: ignore[union-attr]


def test_adjacent_tags_from_the_playhead_or_the_selected_tag() -> None:
    lane = LaneIndex([_tag(1, 10_000, 12_000), _tag(2, 30_000, 31_000), _tag(3, 30_000, 35_000)])
    assert lane.adjacent(20_000, forward=True).id == 2  # type: ignore[union-attr]
    assert lane.adjacent(20_000, forward=False).id == 1  # type: ignore[union-attr]
    assert lane.adjacent(30_000, forward=True, current_id=2).id == 3  # type: ignore[union-attr]
    assert lane.adjacent(0, forward=False) is None and lane.adjacent(40_000, forward=True) is None


# --- snapping ---------------------------------------------------------------------------------------------------


def test_snap_pulls_within_eight_pixels_only_and_shift_turns_it_off() -> None:
    candidates = np.array([1000, 5000], dtype=np.int64)
    assert snap(5070, candidates, 10.0) == (5000, 5000)
    assert snap(5090, candidates, 10.0) == (5090, None)
    assert snap(5070, candidates, 10.0, enabled=False) == (5070, None)
    assert snap(5090, candidates, 20.0) == (5000, 5000)  # the radius is in pixels, so it grows when zoomed out


def test_snap_targets_are_words_utterances_other_tags_and_the_playhead() -> None:
    words = (Word("a", 100, 400), Word("b", 450, 900))
    utterance = Utterance(Party.AGENT, "A", 50, 950, "a b", words)
    targets = SnapTargets([utterance], [_tag(1, 2000, 3000), _tag(2, 4000, 4500)])
    assert targets.candidates(playhead_ms=7000).tolist() == [50, 100, 400, 450, 900, 950, 2000, 3000, 4000, 4500, 7000]
    assert 2000 not in targets.candidates(exclude_tag_id=1).tolist()
    assert 4000 in targets.candidates(exclude_tag_id=1).tolist()


def test_a_moved_span_snaps_by_its_nearer_edge() -> None:
    candidates = np.array([1000, 3040], dtype=np.int64)
    assert snap_span(1025, 3025, candidates, 10.0) == (15, 3040)
    assert snap_span(1010, 3000, candidates, 10.0) == (-10, 1000)
    assert snap_span(1010, 3000, candidates, 10.0, enabled=False) == (0, None)


# --- waveform, rasters, colours, ruler ----------------------------------------------------------------------------


def test_column_envelope_reduces_blocks_to_the_exact_min_and_max_per_column() -> None:
    rng = np.random.default_rng(5)
    samples = rng.integers(-20_000, 20_000, (8000 * 3, 2)).astype(np.int16)
    peaks = build_peaks(samples, 8000)
    lo, hi, valid = column_envelope(peaks, 1, first_px=10, count=20, ms_per_px=64.0)  # 512 samples per column
    columns = samples[10 * 512 : 30 * 512, 1].reshape(20, 512)
    assert np.array_equal(lo * 32768, columns.min(axis=1)) and np.array_equal(hi * 32768, columns.max(axis=1))
    assert valid.all()
    _, _, past_end = column_envelope(peaks, 0, first_px=40, count=20, ms_per_px=64.0)
    assert past_end[:6].all() and not past_end[7:].any()  # 3 s = 46.9 columns


def test_zooming_finer_than_a_block_interpolates_between_blocks() -> None:
    samples = np.zeros((8000, 1), dtype=np.int16)
    samples[256:512] = 16_000  # block 1 loud, its neighbours silent
    peaks = build_peaks(samples, 8000)
    _, hi, _ = column_envelope(peaks, 0, first_px=0, count=96, ms_per_px=1.0)  # 8 samples per pixel
    assert hi.max() == pytest.approx(16_000 / 32768, rel=0.02)
    assert 0 < hi[20] < hi[48]  # rising between block 0's and block 1's centres, not a step


def test_rasters_paint_at_least_one_pixel_and_leave_gaps_between_rows() -> None:
    image = raster_rows(
        np.array([0.2, 4.0]), np.array([0.4, 7.5]), np.array([0, 1]), np.array([7, 9], np.uint32), n_rows=2, width=10
    )
    assert image[0].tolist() == [7, 0, 0, 0, 0, 0, 0, 0, 0, 0] and image[1].tolist() == [0] * 4 + [9] * 4 + [0, 0]
    stacked = stack_rows(image, 3)
    assert stacked.shape == (6, 10) and stacked[2].sum() == 0 and stacked[1, 0] == 7


def test_kind_colours_are_stable_grouped_and_hashed_for_unknown_kinds() -> None:
    warm = [kind_hue(k)[0] for k in ("profanity", "insult", "threat")]
    cool = [kind_hue(k)[0] for k in ("warning", "hold", "empathy")]
    assert all(h >= 350 or h <= 45 for h in warm) and all(90 <= h <= 270 for h in cool)
    assert kind_hue("made_up") == kind_hue("made_up") and kind_hue("made_up") != kind_hue("made_upx")


def test_colours_follow_the_palette_lightness() -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    dark_colors, light_colors = TimelineColors(dark), TimelineColors(light)
    assert dark_colors.dark and not light_colors.dark
    assert dark_colors.kind("insult").text.lightness() > 200 and light_colors.kind("insult").text.lightness() < 60


def test_ruler_labels_are_spaced_and_formatted_for_the_zoom() -> None:
    major, minor = ruler_steps(10.0)
    assert major == 1000 and minor == 100
    assert ruler_steps(2250.0)[0] == 300_000
    assert format_time(83_250, 1000) == "1:23" and format_time(83_250, 50) == "1:23.25"
    assert format_time(3_723_000, 60_000, hours=True) == "1:02:03"


def test_pyside_void_calls_keep_the_reference_to_none() -> None:
    # PySide6 6.12.0 drops a reference to None per void call on Python 3.11, and CPython aborts after a few
    # thousand paint calls. The pinned version keeps the count; a few hundred calls show a regression safely.
    before = sys.getrefcount(None)
    color = QColor()
    for _ in range(500):
        color.setAlpha(1)
    assert sys.getrefcount(None) >= before - 50
