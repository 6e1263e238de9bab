"""Geometry for generated diagrams: boxes, orthogonal routes that keep out of shapes, label places.

Shapes sit in a grid of columns and rows with empty channels between them, so a route that leaves
its source sideways, runs along the channels and enters its target sideways never passes through a
box. Every route is still checked against every box, and a label is put only where it covers no
shape and no other label.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
LINE_HEIGHT, CHAR_WIDTH, LABEL_WIDTH = 14.0, 7.0, 90.0


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> Point:
        return self.x + self.w, self.y + self.h / 2

    @property
    def left(self) -> Point:
        return self.x, self.y + self.h / 2

    @property
    def bottom(self) -> Point:
        return self.x + self.w / 2, self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (self.x < other.x + other.w + gap and other.x < self.x + self.w + gap
                and self.y < other.y + other.h + gap and other.y < self.y + self.h + gap)

    def inside(self, other: Box) -> bool:
        return (self.x >= other.x and self.y >= other.y and self.x + self.w <= other.x + other.w
                and self.y + self.h <= other.y + other.h)


def segment_crosses(a: Point, b: Point, box: Box, margin: float = 0.0) -> bool:
    """True when the axis-parallel segment a-b enters the inside of the box (grown by margin)."""
    left, top = box.x - margin, box.y - margin
    right, bottom = box.x + box.w + margin, box.y + box.h + margin
    (x1, y1), (x2, y2) = a, b
    if x1 == x2:
        low, high = min(y1, y2), max(y1, y2)
        return left < x1 < right and low < bottom and high > top
    if y1 == y2:
        low, high = min(x1, x2), max(x1, x2)
        return top < y1 < bottom and low < right and high > left
    steps = 32  # a slanted segment (never produced here, but tested the same way when read back)
    return any(left < x1 + (x2 - x1) * i / steps < right and top < y1 + (y2 - y1) * i / steps < bottom
               for i in range(steps + 1))


def route_is_clear(points: list[Point], boxes: list[Box], margin: float = 2.0) -> bool:
    pairs = zip(points, points[1:], strict=False)
    return not any(segment_crosses(a, b, box, margin) for a, b in pairs for box in boxes)


def simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle one of three on one line."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == point[0] or kept[-2][1] == kept[-1][1] == point[1]):
            kept[-1] = point
            continue
        kept.append(point)
    return kept


def label_size(text: str) -> tuple[float, float]:
    """Roughly what bpmn-js needs for an external label: words wrapped at 90 px (or the longest word), 11 px font."""
    words = text.split()
    limit = max([LABEL_WIDTH] + [len(word) * CHAR_WIDTH + 10 for word in words])
    lines, current, widest = 1, 0.0, 0.0
    for word in words:
        width = len(word) * CHAR_WIDTH
        if current and current + CHAR_WIDTH + width > limit - 10:
            lines += 1
            widest = max(widest, current)
            current = width
        else:
            current = current + CHAR_WIDTH + width if current else width
    widest = min(limit, max(widest, current, 2 * CHAR_WIDTH) + 10)
    return widest, lines * LINE_HEIGHT


RINGS = 12
_STEPS = [(dx * 12.0, dy * 8.0) for ring in range(0, RINGS)  # nearest first, ring by ring
          for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1) if max(abs(dx), abs(dy)) == ring]


class LabelPlacer:
    """Finds, for each label in turn, a free place near a wished-for one."""

    def __init__(self, shapes: list[Box], segments: list[tuple[Point, Point]]) -> None:
        self.shapes = shapes
        self.segments = segments
        self.labels: list[Box] = []

    @staticmethod
    def _free(box: Box, area: Box | None, boxes: list[Box], segments: list[tuple[Point, Point]] | None) -> bool:
        if area is not None and not box.inside(area):
            return False
        if any(box.overlaps(other, 3) for other in boxes):
            return False
        return segments is None or not any(segment_crosses(a, b, box) for a, b in segments)

    def place(self, size: tuple[float, float], wishes: list[Point], area: Box | None) -> Box:
        """A box of the size whose top-left corner is one of the wishes or a step away from one."""
        w, h = size
        rings, steps = RINGS, _STEPS
        reach = Box(min(x for x, _ in wishes) - 12 * rings - 4, min(y for _, y in wishes) - 8 * rings - 4,
                    max(x for x, _ in wishes) - min(x for x, _ in wishes) + w + 24 * rings + 8,
                    max(y for _, y in wishes) - min(y for _, y in wishes) + h + 16 * rings + 8)
        near = [b for b in self.shapes + self.labels if b.overlaps(reach, 4)]
        near_segments = [(a, b) for a, b in self.segments if Box(
            min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1])).overlaps(reach, 1)]
        for allowed_area, segments in ((area, near_segments), (area, None), (None, None)):
            for dx, dy in steps:
                for x, y in wishes:
                    box = Box(round(x + dx), round(y + dy), round(w), round(h))
                    if self._free(box, allowed_area, near, segments):
                        self.labels.append(box)
                        return box
        x, y = wishes[0]
        lowest = max([b.y + b.h for b in self.shapes + self.labels] or [y])
        box = Box(round(x), round(lowest + 10), round(w), round(h))
        self.labels.append(box)
        return box
