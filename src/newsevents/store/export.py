"""Export a store: jsonl, csv, parquet (partitioned by date), gdelt, plover.

- ``jsonl``   one event JSON per line (DESIGN.md's contract) plus ``url``, ``outlet``,
              ``published`` and ``cluster_id``;
- ``csv``     the same events flattened (columns :data:`EVENT_EXPORT_COLUMNS`);
- ``parquet`` the flattened events as a Hive-partitioned dataset, one folder per event day
              (``date=2024-02-15/``); needs ``--out DIR``;
- ``gdelt``   one row per event *cluster* in the GDELT 2.0 event table's 61 columns and order
              (:data:`GDELT_COLUMNS`), tab-separated, no header, as GDELT ships them;
- ``plover``  one PLOVER JSON record per event (the PLOVER manual's field names), with the cluster
              id as ``link`` so records of the same real-world event can be joined.

Rows are read in batches, so memory stays flat however big the store.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from newsevents.store.clusters import ensure_clusters
from newsevents.store.query import EVENT_FIELDS

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover")

EVENT_EXPORT_COLUMNS = EVENT_FIELDS + ("url", "outlet", "published", "cluster_id")

# The GDELT 2.0 event table, in file order (61 columns).
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

# Actor codes that are GDELT "known groups" (IGOs, NGOs...) rather than countries.
_GROUP_PREFIXES = ("IGO", "NGO", "IMG", "MNC")


@dataclass
class ExportResult:
    format: str
    rows: int
    out: str
    skipped: int = 0  # e.g. events with no PLOVER category in the plover export


def _events_sql(extra: str = "") -> str:
    cols = ", ".join(f"e.{c}" for c in EVENT_FIELDS)
    return (f"SELECT {cols}, a.url, a.source AS outlet, a.published, ce.cluster_id{extra} "
            "FROM events e JOIN articles a ON a.key = e.article_key "
            "LEFT JOIN cluster_events ce ON ce.event_id = e.id "
            "ORDER BY e.day NULLS LAST, e.article_key, e.evidence_start, e.id")


def _records(store, sql: str) -> Iterator[dict[str, Any]]:
    for rows in store.iter_rows(sql):
        for rec in rows:
            yield {k: _clean(v) for k, v in rec.items()}


def _clean(v: Any) -> Any:
    """A database value as a JSON-able one (dates as ISO strings, NaN as None)."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def _open_out(out: str | Path | None) -> tuple[IO[str], bool]:
    if out is None or str(out) == "-":
        return sys.stdout, False
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    return open(p, "w", encoding="utf-8", newline=""), True


def export(store, format: str, out: str | Path | None = None) -> ExportResult:
    """Write the store in ``format`` to ``out`` (a file; a directory for parquet; None for stdout)."""
    fmt = format.lower()
    if fmt not in FORMATS:
        raise ValueError(f"format: {format!r} not one of {', '.join(FORMATS)}")
    ensure_clusters(store)
    if fmt == "parquet":
        if out is None or str(out) == "-":
            raise ValueError("parquet export needs --out DIR (a dataset folder, partitioned by date)")
        return _export_parquet(store, Path(out))
    f, close = _open_out(out)
    try:
        if fmt == "jsonl":
            n, skipped = _export_jsonl(store, f), 0
        elif fmt == "csv":
            n, skipped = _export_csv(store, f), 0
        elif fmt == "gdelt":
            n, skipped = _export_gdelt(store, f), 0
        else:
            n, skipped = _export_plover(store, f)
    finally:
        if close:
            f.close()
        else:
            f.flush()
    return ExportResult(fmt, n, str(out) if out else "-", skipped)


def _export_jsonl(store, f: IO[str]) -> int:
    n = 0
    for r in _records(store, _events_sql(", CAST(e.json AS TEXT) AS json")):
        d = json.loads(r["json"])
        d.update({"url": r["url"], "outlet": r["outlet"], "published": r["published"], "cluster_id": r["cluster_id"]})
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    return n


def _export_csv(store, f: IO[str]) -> int:
    w = csv.DictWriter(f, fieldnames=list(EVENT_EXPORT_COLUMNS), extrasaction="ignore")
    w.writeheader()
    n = 0
    for r in _records(store, _events_sql()):
        w.writerow(r)
        n += 1
    return n


def _parquet_schema():
    import pyarrow as pa

    from newsevents.store.rows import TABLE_COLUMNS

    arrow = {"text": pa.string(), "json": pa.string(), "int": pa.int32(), "bigint": pa.int64(),
             "double": pa.float64(), "date": pa.date32(), "bool": pa.bool_()}
    types = dict(TABLE_COLUMNS["events"])
    types.update({"url": "text", "outlet": "text", "published": "date", "cluster_id": "text"})
    fields = [pa.field(c, arrow[types[c]]) for c in EVENT_EXPORT_COLUMNS]
    return pa.schema(fields + [pa.field("date", pa.string())])


def _export_parquet(store, out: Path) -> ExportResult:
    import pyarrow as pa
    import pyarrow.dataset as ds

    out.mkdir(parents=True, exist_ok=True)
    schema = _parquet_schema()
    n = part = 0
    for rows in store.iter_rows(_events_sql()):
        for r in rows:
            r["date"] = r["day"].isoformat() if r.get("day") else "unknown"
        table = pa.Table.from_pylist(rows, schema=schema)
        ds.write_dataset(
            table, out, format="parquet", partitioning=["date"], partitioning_flavor="hive",
            basename_template=f"part-{part}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore",
        )
        part += 1
        n += len(rows)
    return ExportResult("parquet", n, str(out))


def _ymd(d: Any) -> str:
    v = _clean(d)
    return str(v)[:10].replace("-", "") if v else ""


def _fmt(v: Any) -> str:
    v = _clean(v)
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.4f}".rstrip("0").rstrip(".")  # GDELT's coordinates have 4 decimals
    return str(v)


def _gdelt_row(r: dict[str, Any]) -> list[str]:
    day = date.fromisoformat(str(r["day"])[:10])
    frac = day.year + (day.timetuple().tm_yday - 1) / 365.0
    ids = int(r["id"][3:18], 16)  # cl- + hex: a stable positive 60-bit number

    def actor(prefix: str) -> list[str]:
        code = r[f"{prefix}_code"] or ""
        group = code[:3] if code[:3] in _GROUP_PREFIXES else ""
        return [code, r[f"{prefix}_name"] or "", r[f"{prefix}_country"] or "", group, "", "", "",
                r[f"{prefix}_role"] or "", "", ""]

    geo_type = "4" if r.get("lat") is not None else ("1" if r.get("location_country") else "")
    action_geo = [geo_type, _fmt(r.get("location_name")), _fmt(r.get("location_country")), "", "",
                  _fmt(r.get("lat")), _fmt(r.get("lon")), _fmt(r.get("geonames_id"))] if geo_type else [""] * 8
    sentence = r.get("sentence")
    return [
        str(ids), day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{frac:.4f}",
        *actor("source"), *actor("target"),
        "1" if sentence is not None and int(sentence) < 3 else "0",
        _fmt(r["cameo"]), _fmt((r["cameo"] or "")[:3]), _fmt(r["root"]), _fmt(r["quad_class"]),
        _fmt(round(r["goldstein"], 1) if r["goldstein"] is not None else None),
        _fmt(r["num_events"]), _fmt(r["num_sources"]), _fmt(int(r["num_articles"]) + int(r["num_copies"])), "",
        *([""] * 8), *([""] * 8), *action_geo,
        _ymd(r["first_seen"]) + "000000", r.get("url") or "",
    ]


def _export_gdelt(store, f: IO[str]) -> int:
    sql = """
        SELECT c.id, c.day, c.cameo, c.root, c.quad_class, c.goldstein, c.num_events, c.num_sources,
               c.num_articles, c.num_copies, c.first_seen, a.url,
               e.source_code, e.source_name, e.source_country, e.source_role,
               e.target_code, e.target_name, e.target_country, e.target_role,
               e.sentence, e.location_name, e.location_country, e.lat, e.lon, e.geonames_id
        FROM clusters c JOIN events e ON e.id = c.rep_event_id JOIN articles a ON a.key = e.article_key
        ORDER BY c.day, c.id
    """
    w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    n = 0
    for r in _records(store, sql):
        row = [v.replace("\t", " ").replace("\n", " ") for v in _gdelt_row(r)]
        w.writerow(row)
        n += 1
    return n


def _plover_actor(r: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    if not r.get(f"{prefix}_code"):
        return []
    return [{
        "code": r.get(f"{prefix}_country") or r[f"{prefix}_code"][:3],
        "sector": r.get(f"{prefix}_role"),
        "entity_text": r.get(f"{prefix}_text"),
        "identifier_text": r.get(f"{prefix}_name"),
        "actor_code": r.get(f"{prefix}_code"),
    }]


def plover_record(r: dict[str, Any], coder: str) -> dict[str, Any]:
    """One event as a PLOVER JSON record (fields of the PLOVER manual's data-format chapter)."""
    loc = None
    if r.get("location_name"):
        loc = {"resolved_place": r.get("location_name"), "geonameid": r.get("geonames_id"), "lat": r.get("lat"),
               "lon": r.get("lon"), "country_code": r.get("location_country")}
    return {
        "id": r["id"],
        "has_event": True,
        "date": r.get("day"),
        "actor": _plover_actor(r, "source"),
        "recipient": _plover_actor(r, "target"),
        "event": [r["plover_type"]],
        "mode": [r["plover_mode"]] if r.get("plover_mode") else [],
        "context": [],
        "event_loc": loc,
        "event_text": [r.get("predicate")] if r.get("predicate") else [],
        "quad_code": r.get("quad_class"),
        "event_scale": r.get("goldstein"),
        "link": r.get("cluster_id"),
        "text": r.get("evidence"),
        "text_info": {"sequence": r.get("sentence"), "start": r.get("evidence_start"), "end": r.get("evidence_end")},
        "cite_info": {"url": r.get("url"), "title": r.get("title"), "language": "en",
                      "publication": r.get("outlet"), "coder": coder, "codebook": "CAMEO 1.1b3 / PLOVER"},
        "coder": coder,
        "coded_date": r.get("coded_date"),
        # newsevents extensions (PLOVER allows extra named fields)
        "cameo": r.get("cameo"),
        "modality": r.get("modality"),
        "attributed_to": r.get("attributed_to"),
        "confidence": r.get("confidence"),
    }


def _export_plover(store, f: IO[str]) -> tuple[int, int]:
    from newsevents import __version__

    coder = f"newsevents {__version__}"
    n = skipped = 0
    sql = _events_sql(", a.title, CAST(a.ingested_at AS DATE) AS coded_date")
    for r in _records(store, sql):
        if not r.get("plover_type"):
            skipped += 1  # CAMEO 01/02 statements and appeals have no PLOVER category
            continue
        f.write(json.dumps(plover_record(r, coder), ensure_ascii=False) + "\n")
        n += 1
    return n, skipped


def to_string(store, format: str) -> str:
    """An export as a string (small stores, tests)."""
    buf = io.StringIO()
    fmt = format.lower()
    ensure_clusters(store)
    if fmt == "jsonl":
        _export_jsonl(store, buf)
    elif fmt == "csv":
        _export_csv(store, buf)
    elif fmt == "gdelt":
        _export_gdelt(store, buf)
    elif fmt == "plover":
        _export_plover(store, buf)
    else:
        raise ValueError(f"format {format!r} cannot be written to a string")
    return buf.getvalue()
