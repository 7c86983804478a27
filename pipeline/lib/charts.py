"""Charts of the daily tables as Vega-Lite specs, rendered to PNG with vl-convert (no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl


def daily_casualties_spec(df: pl.DataFrame) -> dict:
    long = df.select("day", "killed", "wounded").unpivot(index="day", variable_name="kind", value_name="people")
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Killed and wounded per day (each incident counted once)",
        "width": 600, "height": 250,
        "data": {"values": json.loads(long.with_columns(pl.col("day").cast(pl.String)).write_json())},
        "mark": "bar",
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": "day"},
            "y": {"field": "people", "type": "quantitative", "stack": "zero"},
            "color": {"field": "kind", "type": "nominal",
                      "scale": {"domain": ["killed", "wounded"], "range": ["#b2182b", "#ef8a62"]}},
        },
    }


def daily_incidents_spec(df: pl.DataFrame) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Incidents per day by PLOVER event type",
        "width": 600, "height": 250,
        "data": {"values": json.loads(df.select("day", "event_type", "incidents")
                                      .with_columns(pl.col("day").cast(pl.String)).write_json())},
        "mark": "bar",
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": "day"},
            "y": {"field": "incidents", "type": "quantitative", "stack": "zero"},
            "color": {"field": "event_type", "type": "nominal"},
        },
    }


SPECS = {"daily_casualties": daily_casualties_spec, "daily_incidents": daily_incidents_spec}


def render_png(spec: dict, path: Path) -> Path:
    import vl_convert as vlc

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(vlc.vegalite_to_png(vl_spec=spec, scale=1))
    return path
