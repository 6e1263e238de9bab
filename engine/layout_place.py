"""Where each element of one process goes in a generated diagram.

A layered (Sugiyama-style) left-to-right layout: a flow node's column is its longest path from a
start (edges that close a cycle ignored), each lane a horizontal band of rows, nodes sharing a lane
and column stacked in rows. Columns and rows are separated by empty channels; sequence flows run
orthogonally along them (see engine.layout_geometry), boundary events sit on their host's lower
edge (a host with several is made wide enough for them), and labels are put where they cover
neither a shape nor another label.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from engine.layout_geometry import Box, LabelPlacer, Point, label_size, route_is_clear, simplify
from engine.parser import BPMN_NS

LEFT, POOL_HEADER, GAP_X, PAD_TOP, TRACK = 80.0, 30.0, 90.0, 60.0, 8.0
SIZES = {"event": (36, 36), "gateway": (50, 50), "activity": (100, 80)}
BOUNDARY, BOUNDARY_STEP = 36.0, 46.0
SKIP = {"sequenceFlow", "laneSet", "boundaryEvent", "dataObject", "dataObjectReference", "dataStoreReference",
        "textAnnotation", "association", "documentation", "extensionElements", "ioSpecification", "property",
        "dataInputAssociation", "dataOutputAssociation", "group", "category", "correlationSubscription"}


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def bpmn(root: etree._Element, path: str) -> list[etree._Element]:
    return [e for e in root.xpath(path, namespaces={"bpmn": BPMN_NS}) if isinstance(e, etree._Element)]


def _size(kind: str) -> tuple[float, float]:
    if kind.endswith("Event"):
        return SIZES["event"]
    if kind.endswith("Gateway"):
        return SIZES["gateway"]
    return SIZES["activity"]


def columns_of(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources, ignoring the edges that close a cycle."""
    outgoing: dict[str, list[str]] = defaultdict(list)
    incoming = {n: 0 for n in nodes}
    for source, target in edges:
        if source in incoming and target in incoming:
            outgoing[source].append(target)
            incoming[target] += 1
    forward: dict[str, list[str]] = defaultdict(list)
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(node: str) -> None:
        stack = [(node, iter(outgoing[node]))]
        state[node] = 1
        while stack:
            current, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[current] = 2
                order.append(current)
                stack.pop()
            elif state.get(child) is None:
                forward[current].append(child)
                state[child] = 1
                stack.append((child, iter(outgoing[child])))
            elif state[child] == 2:
                forward[current].append(child)

    for node in [n for n in nodes if incoming[n] == 0] + nodes:
        if node not in state:
            visit(node)
    column = {n: 0 for n in nodes}
    for node in reversed(order):
        for child in forward[node]:
            column[child] = max(column[child], column[node] + 1)
    return column


class _Channels:
    """Free bands between columns (vertical) or rows (horizontal), each handing out parallel tracks."""

    def __init__(self, bands: list[tuple[float, float]]) -> None:
        self.bands = bands
        self.taken: dict[tuple[int, str], float] = {}
        self.count: dict[int, int] = defaultdict(int)

    def track(self, index: int, key: str) -> float:
        if (index, key) not in self.taken:
            low, high = self.bands[index]
            room = max(1, int((high - low - 2 * TRACK) // TRACK))
            k = self.count[index]
            self.count[index] += 1
            middle = (low + high) / 2
            offset = ((k + 1) // 2) * TRACK * (1 if k % 2 else -1) if room > 1 else 0.0
            if abs(offset) > (high - low) / 2 - TRACK:
                offset = (k % room - room // 2) * TRACK
            self.taken[(index, key)] = round(middle + offset)
        return self.taken[(index, key)]


class ProcessLayout:
    def __init__(self, process: etree._Element, top: float) -> None:
        self.kinds = {e.get("id", ""): local(e) for e in process
                      if isinstance(e.tag, str) and local(e) not in SKIP and e.get("id")}
        self.names = {e.get("id", ""): (e.get("name") or "").strip() for e in process
                      if isinstance(e.tag, str) and e.get("id")}
        self.boundaries = {e.get("id", ""): e.get("attachedToRef", "") for e in bpmn(process, "./bpmn:boundaryEvent")
                           if e.get("attachedToRef", "") in self.kinds}
        self.flows = [(f.get("id", ""), f.get("sourceRef", ""), f.get("targetRef", ""))
                      for f in bpmn(process, "./bpmn:sequenceFlow")]
        self.lanes = [(lane.get("id", ""), [ref.text or "" for ref in bpmn(lane, "./bpmn:flowNodeRef")])
                      for lane in bpmn(process, "./bpmn:laneSet/bpmn:lane")]
        self.top = top
        self.boxes: dict[str, Box] = {}
        self.lane_boxes: dict[str, Box] = {}
        self.routes: dict[str, list[Point]] = {}
        self.labels: dict[str, Box] = {}
        self.column: dict[str, int] = {}
        self.row: dict[str, int] = {}

    def _lane_of(self) -> dict[str, str]:
        lane_of = {node: lane_id for lane_id, refs in self.lanes for node in refs}
        default = self.lanes[0][0] if self.lanes else ""
        return {node: lane_of.get(node, default) for node in self.kinds}

    def _node_size(self, node: str, hosted: dict[str, int]) -> tuple[float, float]:
        w, h = _size(self.kinds[node])
        if hosted.get(node):
            w = max(w, hosted[node] * BOUNDARY_STEP + 14)
        return w, h

    def place(self) -> Box:
        hosted: dict[str, int] = defaultdict(int)
        for host in self.boundaries.values():
            hosted[host] += 1
        edges = [(self.boundaries.get(s, s), t) for _, s, t in self.flows]
        self.column = columns_of(list(self.kinds), edges)
        lane_of = self._lane_of()
        lane_ids = [lane_id for lane_id, _ in self.lanes] or [""]
        cells: dict[tuple[str, int], list[str]] = defaultdict(list)
        for node in sorted(self.kinds, key=lambda n: self.column[n]):
            cells[(lane_of[node], self.column[node])].append(node)
        sizes = {node: self._node_size(node, hosted) for node in self.kinds}
        ncols = max(self.column.values(), default=0) + 1
        widths = [max([sizes[n][0] for n in self.kinds if self.column[n] == c] or [36]) for c in range(ncols)]
        lefts, x = [], LEFT + POOL_HEADER + GAP_X / 2 + 10
        for width in widths:
            lefts.append(x)
            x += width + GAP_X
        row_keys: list[tuple[str, int]] = []
        for lane_id in lane_ids:
            rows = max([len(v) for (lane, _), v in cells.items() if lane == lane_id] or [1])
            row_keys += [(lane_id, r) for r in range(rows)]
        for (lane, _column), members in cells.items():
            for r, node in enumerate(members):
                self.row[node] = row_keys.index((lane, r))
        y = self.top
        bands: list[tuple[float, float]] = []
        previous_bottom = self.top
        lane_top: dict[str, float] = {}
        for index, (lane_id, _row) in enumerate(row_keys):
            lane_top.setdefault(lane_id, y)
            members = [n for n in self.kinds if self.row.get(n) == index]
            height = max([sizes[n][1] for n in members] or [80])
            boundary_rows = max([hosted.get(n, 0) for n in members] or [0])
            named = any(self.names.get(n) and not self.kinds[n].endswith("Task") for n in members)
            below = 56.0 + (28.0 if named else 0.0) + (26.0 + 34.0 * boundary_rows if boundary_rows else 0.0)
            center = y + PAD_TOP + height / 2
            bands.append((previous_bottom, center - height / 2))
            for n in members:
                w, h = sizes[n]
                column = self.column[n]
                self.boxes[n] = Box(lefts[column] + (widths[column] - w) / 2, center - h / 2, w, h)
            previous_bottom = center + height / 2 + (BOUNDARY / 2 + 2 if boundary_rows else 0)
            y = center + height / 2 + below
            last = index + 1 == len(row_keys) or row_keys[index + 1][0] != lane_id
            if last:
                self.lane_boxes[lane_id] = Box(LEFT + POOL_HEADER, lane_top[lane_id], 0, y - lane_top[lane_id])
        bands.append((previous_bottom, y))
        self._place_boundaries()
        vertical = [(LEFT + POOL_HEADER + 4, lefts[0])] + [
            (lefts[c] + widths[c], lefts[c + 1] if c + 1 < ncols else lefts[c] + widths[c] + GAP_X)
            for c in range(ncols)]
        self._route(_Channels(vertical), _Channels(bands))
        self._place_labels()
        return self._frame(y)

    def _place_boundaries(self) -> None:
        seen: dict[str, int] = defaultdict(int)
        for event_id, host in self.boundaries.items():
            box = self.boxes[host]
            k = seen[host]
            seen[host] += 1
            self.boxes[event_id] = Box(box.x + 10 + k * BOUNDARY_STEP, box.y + box.h - BOUNDARY / 2,
                                       BOUNDARY, BOUNDARY)
            self.column[event_id] = self.column[host]
            self.row[event_id] = self.row[host]

    def _route(self, vertical: _Channels, horizontal: _Channels) -> None:
        for flow_id, source, target in self.flows:
            a, b = self.boxes.get(source), self.boxes.get(target)
            if a is None or b is None:
                continue
            others = [box for node, box in self.boxes.items() if node not in (source, target)]
            candidates = self._candidates(flow_id, source, target, vertical, horizontal)
            clear = [c for c in candidates if route_is_clear(c, others)]
            self.routes[flow_id] = simplify((clear or candidates)[0])

    def _candidates(self, flow_id: str, source: str, target: str, vertical: _Channels,
                    horizontal: _Channels) -> list[list[Point]]:
        a, b = self.boxes[source], self.boxes[target]
        end = b.left
        in_x = vertical.track(self.column[target], "in:" + target)
        found: list[list[Point]] = []
        if source in self.boundaries:
            start = a.bottom
            if b.cy > start[1] + 10 and b.x > start[0] + 10:
                found.append([start, (start[0], end[1]), end])
            low = horizontal.track(self.row[source] + 1, flow_id)
            found.append([start, (start[0], low), (in_x, low), (in_x, end[1]), end])
            return found
        start = a.right
        if start[1] == end[1] and end[0] > start[0]:
            found.append([start, end])
        out_x = vertical.track(self.column[source] + 1, "out:" + source)
        if self.column[target] > self.column[source]:
            found.append([start, (in_x, start[1]), (in_x, end[1]), end])
            found.append([start, (out_x, start[1]), (out_x, end[1]), end])
        band = self.row[source] + 1 if self.row[target] >= self.row[source] else self.row[source]
        across = horizontal.track(band, flow_id)
        found.append([start, (out_x, start[1]), (out_x, across), (in_x, across), (in_x, end[1]), end])
        return found

    def _place_labels(self) -> None:
        segments = [(p, q) for points in self.routes.values() for p, q in zip(points, points[1:], strict=False)]
        placer = LabelPlacer(list(self.boxes.values()), segments)
        lane_of = self._lane_of()
        areas = {lane: Box(box.x, box.y, 1e9, box.h) for lane, box in self.lane_boxes.items()}
        ordered = sorted(self.boxes, key=lambda n: (n not in self.boundaries, self.boxes[n].x))
        for node in ordered:
            name = self.names.get(node, "")
            if not name or (node in self.kinds and not self.kinds[node].endswith(("Event", "Gateway"))):
                continue
            w, h = label_size(name)
            box = self.boxes[node]
            below = (box.cx - w / 2, box.y + box.h + 4)
            above = (box.cx - w / 2, box.y - h - 4)
            wishes = [(box.x + box.w + 2, box.y + box.h + 2), below] if node in self.boundaries else [below, above]
            area = areas.get(lane_of.get(self.boundaries.get(node, node), ""))
            self.labels[node] = placer.place((w, h), wishes, area)
        for flow_id, source, _ in self.flows:
            name, points = self.names.get(flow_id, ""), self.routes.get(flow_id)
            if not name or not points:
                continue
            w, h = label_size(name)
            (x1, y1), (x2, y2) = points[0], points[1]
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            wishes = [(mx - w / 2, my - h - 3), (mx + 4, my - h / 2), (mx - w / 2, my + 3)]
            area = areas.get(lane_of.get(self.boundaries.get(source, source), ""))
            self.labels[flow_id] = placer.place((w, h), wishes, area)

    def _frame(self, bottom: float) -> Box:
        rights = [b.x + b.w for b in list(self.boxes.values()) + list(self.labels.values())]
        rights += [x for points in self.routes.values() for x, _ in points]
        lows = [b.y + b.h for b in self.labels.values()] + [bottom]
        right = max(rights or [LEFT + POOL_HEADER + 200]) + 40
        bottom = max(max(lows) + 10, bottom) if max(lows) > bottom else bottom
        for box in self.lane_boxes.values():
            box.w = right - box.x
        if self.lane_boxes:
            last = max(self.lane_boxes.values(), key=lambda b: b.y)
            last.h = bottom - last.y
        return Box(LEFT, self.top, right - LEFT, bottom - self.top)
