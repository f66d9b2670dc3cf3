"""Vega-Lite specifications of the pages' charts, built from the rows the pages show.

Every chart says what it shows in text as well as colour: QuadClass rows are labelled on the axis,
directions differ by dash and shape too, cooperation and conflict edges by dash; the data behind
each chart is in a table beside it.  A datum's ``href`` (a same-site address) is where a click on
it goes (``static/app.js``); the tables give the same links to the keyboard.
"""

from __future__ import annotations

import math
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier: never fetched

QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_SHORT = {1: "q1 verbal coop.", 2: "q2 material coop.", 3: "q3 verbal conflict", 4: "q4 material conflict"}
# Okabe-Ito colours (distinguishable with the common colour vision deficiencies)
QUAD_COLOURS = ["#56B4E9", "#0072B2", "#E69F00", "#D55E00"]
QUAD_SHAPES = ["circle", "square", "triangle-up", "diamond"]
DIRECTION_COLOURS = ["#0072B2", "#D55E00"]
DIRECTION_SHAPES = ["circle", "triangle-up"]
DIRECTION_DASHES = [[1, 0], [6, 3]]
DATE_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%b %Y", "year": "%Y"}
WORLD_TOPOJSON = "/static/vendor/world-atlas/countries-110m.json"


def _base(title: str, height: int) -> dict[str, Any]:
    # the title is the figure's caption in the page (HTML text wraps on a phone; a Vega title
    # wider than the screen would squeeze the plot) and the SVG's accessible description
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                   "axis": {"labelFontSize": 11, "titleFontSize": 12},
                   "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal",
                              "columns": 2, "labelLimit": 180},
                   "view": {"stroke": None}},
    }


def quad_scale(field_name: str = "quad_label") -> dict[str, Any]:
    return {"domain": [QUAD_SHORT[q] for q in (1, 2, 3, 4)], "range": QUAD_COLOURS}


def timeline(rows: list[dict], by: str) -> dict[str, Any]:
    """Overview: real-world events per period, one labelled row per QuadClass, dot size = count.
    ``rows``: period, quad_class, events, href."""
    values = [dict(r, quad_label=QUAD_SHORT.get(r["quad_class"], str(r["quad_class"]))) for r in rows]
    spec = _base(f"Real-world events per {by} by QuadClass (dot size: events; each event once however often reported)", 190)
    fmt = DATE_FORMATS.get(by, "%Y-%m-%d")
    spec.update({
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "opacity": 0.85, "cursor": "pointer"},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "title": by, "axis": {"format": fmt, "labelOverlap": True}},
            "y": {"field": "quad_label", "type": "nominal", "title": None,
                  "sort": [QUAD_SHORT[q] for q in (1, 2, 3, 4)], "scale": {"domain": [QUAD_SHORT[q] for q in (1, 2, 3, 4)]}},
            "size": {"field": "events", "type": "quantitative", "title": "events", "scale": {"range": [30, 600]},
                     "legend": None},
            "color": {"field": "quad_label", "type": "nominal", "title": "QuadClass", "scale": quad_scale(), "legend": None},
            "shape": {"field": "quad_label", "type": "nominal", "scale": {"domain": [QUAD_SHORT[q] for q in (1, 2, 3, 4)],
                                                                       "range": QUAD_SHAPES}, "legend": None},
            "tooltip": [{"field": "period", "type": "temporal", "format": fmt, "title": by},
                        {"field": "quad_label", "title": "QuadClass"},
                        {"field": "events", "title": "events"},
                        {"field": "mentions", "title": "mentions"}],
        },
    })
    return spec


def dyad_goldstein(rows: list[dict], directions: list[str], by: str) -> dict[str, Any]:
    """Dyad explorer: the mean Goldstein value per period in both directions (dash and shape tell
    the directions apart as well as colour).  ``rows``: period, direction, goldstein_mean, events, href."""
    fmt = DATE_FORMATS.get(by, "%Y-%m-%d")
    spec = _base(f"Goldstein scale per {by} (mean over events; -10 conflict .. +10 cooperation)", 230)
    enc_common = {
        "x": {"field": "period", "type": "temporal", "title": by, "axis": {"format": fmt, "labelOverlap": True}},
        "y": {"field": "goldstein_mean", "type": "quantitative", "title": "Goldstein (mean)",
              "scale": {"domain": [-10, 10]}},
        "color": {"field": "direction", "type": "nominal", "title": "direction",
                  "scale": {"domain": directions, "range": DIRECTION_COLOURS}},
    }
    spec.update({
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "rule", "color": "#888", "strokeDash": [2, 2]}, "data": {"values": [{"y": 0}]},
             "encoding": {"y": {"field": "y", "type": "quantitative"}}},
            {"mark": {"type": "line", "strokeWidth": 2}, "encoding": dict(enc_common, strokeDash={
                "field": "direction", "type": "nominal", "scale": {"domain": directions, "range": DIRECTION_DASHES}})},
            {"mark": {"type": "point", "filled": True, "size": 150, "cursor": "pointer"},
             "encoding": dict(enc_common,
                              shape={"field": "direction", "type": "nominal",
                                     "scale": {"domain": directions, "range": DIRECTION_SHAPES}},
                              tooltip=[{"field": "direction"},
                                       {"field": "period", "type": "temporal", "format": fmt, "title": by},
                                       {"field": "goldstein_mean", "title": "Goldstein mean"},
                                       {"field": "events", "title": "events"},
                                       {"field": "hint", "title": "click"}])},
        ],
    })
    return spec


def dyad_quad(rows: list[dict], directions: list[str], by: str) -> dict[str, Any]:
    """Dyad explorer: events per period and QuadClass (labelled rows), both directions side by
    side within each row.  ``rows``: period, direction, quad_class, events, href."""
    fmt = DATE_FORMATS.get(by, "%Y-%m-%d")
    values = [dict(r, quad_label=QUAD_SHORT.get(r["quad_class"], str(r["quad_class"]))) for r in rows]
    spec = _base(f"Events per {by} by QuadClass and direction (dot size: events)", 240)
    spec.update({
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "opacity": 0.9, "cursor": "pointer"},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "title": by, "axis": {"format": fmt, "labelOverlap": True}},
            "y": {"field": "quad_label", "type": "nominal", "title": None,
                  "sort": [QUAD_SHORT[q] for q in (1, 2, 3, 4)], "scale": {"domain": [QUAD_SHORT[q] for q in (1, 2, 3, 4)]}},
            "yOffset": {"field": "direction", "type": "nominal", "scale": {"domain": directions}},
            "size": {"field": "events", "type": "quantitative", "title": "events", "scale": {"range": [40, 500]},
                     "legend": None},
            "color": {"field": "direction", "type": "nominal", "title": "direction",
                      "scale": {"domain": directions, "range": DIRECTION_COLOURS}},
            "shape": {"field": "direction", "type": "nominal", "scale": {"domain": directions, "range": DIRECTION_SHAPES}},
            "tooltip": [{"field": "direction"}, {"field": "period", "type": "temporal", "format": fmt, "title": by},
                        {"field": "quad_label", "title": "QuadClass"}, {"field": "events", "title": "events"},
                        {"field": "hint", "title": "click"}],
        },
    })
    return spec


def network_layout(center: str, partners: list[dict]) -> tuple[list[dict], list[dict]]:
    """A radial drawing: the actor in the middle, its partners on a circle (most events first,
    clockwise from the top).  Returns (nodes, edges) with x, y in [-1, 1]."""
    nodes = [{"id": center, "x": 0.0, "y": 0.0, "events": sum(p["events"] for p in partners) or 1,
              "role": "actor", "label": center, "href": None}]
    edges = []
    n = max(len(partners), 1)
    for i, p in enumerate(partners):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = round(math.cos(angle), 4), round(math.sin(angle), 4)
        nodes.append({"id": p["partner"], "x": x, "y": y, "events": p["events"], "role": "partner",
                      "label": p["partner"], "name": p.get("name") or "", "href": p.get("href"),
                      "hint": "open this actor"})
        g = p.get("goldstein_mean")
        edges.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y, "partner": p["partner"], "events": p["events"],
                      "out_events": p.get("out_events", 0), "in_events": p.get("in_events", 0),
                      "goldstein_mean": g, "tone": "conflict" if (g or 0) < 0 else "cooperation",
                      "href": p.get("href")})
    return nodes, edges


def network(center: str, partners: list[dict]) -> dict[str, Any]:
    """Actor view: who the actor interacts with.  Edge width = events, colour and dash = the mean
    Goldstein value's sign (cooperation solid blue, conflict dashed vermillion)."""
    nodes, edges = network_layout(center, partners)
    spec = _base(f"Who {center} interacts with", 420)
    scale = {"domain": [-1.35, 1.35], "nice": False}
    spec.update({
        "resolve": {"scale": {"size": "independent"}},
        "layer": [
            {"data": {"values": edges},
             "mark": {"type": "rule", "opacity": 0.8, "cursor": "pointer"},
             "encoding": {
                 "x": {"field": "x", "type": "quantitative", "axis": None, "scale": scale},
                 "y": {"field": "y", "type": "quantitative", "axis": None, "scale": scale},
                 "x2": {"field": "x2"}, "y2": {"field": "y2"},
                 "strokeWidth": {"field": "events", "type": "quantitative", "title": "events", "scale": {"range": [1.5, 9]},
                                 "legend": None},
                 "color": {"field": "tone", "type": "nominal", "title": "mean Goldstein",
                           "scale": {"domain": ["cooperation", "conflict"], "range": ["#0072B2", "#D55E00"]}},
                 "strokeDash": {"field": "tone", "type": "nominal",
                                "scale": {"domain": ["cooperation", "conflict"], "range": [[1, 0], [6, 4]]},
                                "legend": None},
                 "tooltip": [{"field": "partner"}, {"field": "events"}, {"field": "out_events", "title": f"{center} to it"},
                             {"field": "in_events", "title": f"it to {center}"},
                             {"field": "goldstein_mean", "title": "Goldstein mean"}],
             }},
            {"data": {"values": [n for n in nodes if n["role"] == "partner"]},
             "mark": {"type": "circle", "stroke": "#333", "strokeWidth": 1, "cursor": "pointer", "color": "#F0E442",
                      "opacity": 1},
             "encoding": {
                 "x": {"field": "x", "type": "quantitative", "axis": None, "scale": scale},
                 "y": {"field": "y", "type": "quantitative", "axis": None, "scale": scale},
                 "size": {"field": "events", "type": "quantitative", "scale": {"range": [120, 700]}, "legend": None},
                 "tooltip": [{"field": "label", "title": "actor"}, {"field": "name"}, {"field": "events"},
                             {"field": "hint", "title": "click"}],
             }},
            {"data": {"values": [n for n in nodes if n["role"] == "actor"]},
             "mark": {"type": "circle", "stroke": "#000", "strokeWidth": 1, "color": "#222", "opacity": 1, "size": 900},
             "encoding": {
                 "x": {"field": "x", "type": "quantitative", "axis": None, "scale": scale},
                 "y": {"field": "y", "type": "quantitative", "axis": None, "scale": scale},
                 "tooltip": [{"field": "label", "title": "actor"}, {"field": "events"}],
             }},
            {"data": {"values": nodes},
             "mark": {"type": "text", "dy": -16, "fontSize": 11, "fontWeight": "bold"},
             "encoding": {
                 "x": {"field": "x", "type": "quantitative", "axis": None, "scale": scale},
                 "y": {"field": "y", "type": "quantitative", "axis": None, "scale": scale},
                 "text": {"field": "label"},
             }},
        ],
    })
    return spec


def world_map(rows: list[dict]) -> dict[str, Any]:
    """Map: event locations on a world map (the vendored world-atlas TopoJSON), colour and shape
    by QuadClass, size by events.  ``rows``: name, country, lat, lon, quad_class, events, href."""
    values = [dict(r, quad_label=QUAD_SHORT.get(r["quad_class"], str(r["quad_class"]))) for r in rows]
    spec = _base("Event locations by QuadClass (colour and shape: QuadClass; size: events)", 420)
    spec.update({
        "projection": {"type": "equalEarth"},
        "layer": [
            {"data": {"url": WORLD_TOPOJSON, "format": {"type": "topojson", "feature": "countries"}},
             "mark": {"type": "geoshape", "fill": "#e9ecef", "stroke": "#9aa1a9", "strokeWidth": 0.5}},
            {"data": {"values": values},
             "mark": {"type": "point", "filled": True, "opacity": 0.85, "stroke": "#222", "strokeWidth": 0.6,
                      "cursor": "pointer"},
             "encoding": {
                 "longitude": {"field": "lon", "type": "quantitative"},
                 "latitude": {"field": "lat", "type": "quantitative"},
                 "size": {"field": "events", "type": "quantitative", "title": "events", "scale": {"range": [40, 500]},
                     "legend": None},
                 "color": {"field": "quad_label", "type": "nominal", "title": "QuadClass", "scale": quad_scale()},
                 "shape": {"field": "quad_label", "type": "nominal", "title": "QuadClass",
                           "scale": {"domain": [QUAD_SHORT[q] for q in (1, 2, 3, 4)], "range": QUAD_SHAPES}},
                 "tooltip": [{"field": "name", "title": "place"}, {"field": "country"},
                             {"field": "quad_label", "title": "QuadClass"}, {"field": "events"},
                             {"field": "hint", "title": "click"}],
             }},
        ],
    })
    return spec
