"""From the pipeline's dataclasses to table rows (plain tuples in the schema's column order)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from newsevents.model import Annotation, Article, Event
from newsevents.store.dedup import Verdict, signature_bytes, source_name

# (column, type) per table, in the order rows are built; types are generic names that each
# dialect maps to its own (see Store.sql_type).
TABLE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("key", "text"), ("id", "text"), ("content_hash", "text"), ("norm_hash", "text"), ("url", "text"),
        ("outlet", "text"), ("source", "text"), ("title", "text"), ("author", "text"), ("published", "date"),
        ("source_path", "text"), ("language", "text"), ("status", "text"), ("duplicate_of", "text"),
        ("similarity", "double"), ("num_events", "int"), ("num_words", "int"), ("text", "text"),
        ("minhash", "blob"), ("ingested_at", "timestamp"),
    ),
    "events": (
        ("id", "text"), ("article_key", "text"), ("article_id", "text"), ("sentence", "int"), ("day", "date"),
        ("date_value", "text"), ("date_precision", "text"),
        ("source_code", "text"), ("source_country", "text"), ("source_role", "text"), ("source_name", "text"),
        ("source_text", "text"),
        ("target_code", "text"), ("target_country", "text"), ("target_role", "text"), ("target_name", "text"),
        ("target_text", "text"),
        ("source_actor", "text"), ("target_actor", "text"), ("predicate", "text"), ("cameo", "text"),
        ("cameo_label", "text"), ("root", "text"), ("plover_type", "text"), ("plover_mode", "text"),
        ("quad_class", "int"), ("goldstein", "double"), ("modality", "text"), ("attributed_to", "text"),
        ("confidence", "double"), ("location_name", "text"), ("location_country", "text"), ("lat", "double"),
        ("lon", "double"), ("geonames_id", "bigint"), ("evidence", "text"), ("evidence_start", "int"),
        ("evidence_end", "int"), ("json", "json"),
    ),
    "mentions": (
        ("article_key", "text"), ("seq", "int"), ("sentence", "int"), ("start_char", "int"), ("end_char", "int"),
        ("text", "text"), ("name", "text"), ("code", "text"), ("country", "text"), ("role", "text"),
        ("kind", "text"), ("via", "text"),
    ),
    "quotes": (
        ("article_key", "text"), ("seq", "int"), ("start_char", "int"), ("end_char", "int"), ("content", "text"),
        ("speaker_text", "text"), ("speaker_code", "text"), ("speaker_name", "text"), ("cue", "text"),
        ("direct", "bool"), ("json", "json"),
    ),
    "places": (
        ("article_key", "text"), ("seq", "int"), ("name", "text"), ("country", "text"), ("lat", "double"),
        ("lon", "double"), ("geonames_id", "bigint"), ("text", "text"), ("start_char", "int"), ("end_char", "int"),
    ),
    "times": (
        ("article_key", "text"), ("seq", "int"), ("text", "text"), ("start_char", "int"), ("end_char", "int"),
        ("value", "text"), ("precision", "text"), ("type", "text"),
    ),
    "article_bands": (("band_key", "bigint"), ("article_key", "text")),
}
ARTICLE_COLUMNS = tuple(c for c, _ in TABLE_COLUMNS["articles"])
EVENT_COLUMNS = tuple(c for c, _ in TABLE_COLUMNS["events"])

# a TIMEX-style value: 2024-02-15, 2024-02, 2024, a range 1977/1983 (counted from its start),
# 2024-02-15T10:00
_DAY = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:$|[/T])")


def event_day(value: str | None, published: date | None) -> date | None:
    """The calendar day an event is counted on: its own date (a month, year or range counts from its
    first day), else the article's publication date."""
    if value:
        m = _DAY.match(value.strip())
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
            try:
                return date(y, mo, d)
            except ValueError:
                pass
    return published


def actor_group(side: dict[str, Any] | None) -> str:
    """The actor a dyad and a cluster are keyed on: its country, else its code ('' for none)."""
    if not side:
        return ""
    return side.get("country") or side.get("code") or ""


@dataclass
class ArticleRecord:
    """Everything written for one article, in one transaction."""

    article: tuple
    events: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    places: list[tuple] = field(default_factory=list)
    times: list[tuple] = field(default_factory=list)
    bands: list[tuple] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.article[0]


def _article_row(a: Article, v: Verdict, status: str, num_events: int, language: str | None) -> tuple:
    return (
        v.key, a.id, a.content_hash, v.norm_hash, a.url, a.outlet, source_name(a.outlet, a.url), a.title,
        a.author, a.published, a.source_path, language, status, v.original, v.similarity, num_events,
        len(a.text.split()), a.text, signature_bytes(v.signature) if status == "coded" else None,
        datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
    )


def event_row(e: Event, key: str, published: date | None) -> tuple:
    d = e.to_dict()
    src, tgt, loc = d.get("source") or {}, d.get("target") or {}, d.get("location") or {}
    return (
        d["id"], key, d["article_id"], d["sentence"], event_day(d.get("date"), published), d.get("date"),
        d.get("date_precision"),
        src.get("code"), src.get("country"), src.get("role"), src.get("name"), src.get("text"),
        tgt.get("code"), tgt.get("country"), tgt.get("role"), tgt.get("name"), tgt.get("text"),
        actor_group(src), actor_group(tgt), d["predicate"]["text"], d["cameo"], d["cameo_label"], d["root"],
        d["plover"]["type"], d["plover"]["mode"], d["quad_class"], d["goldstein"], d["modality"],
        d["attributed_to"], d["confidence"],
        loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon"), loc.get("geonames_id"),
        d["evidence"]["text"], d["evidence"]["start"], d["evidence"]["end"],
        json.dumps(d, ensure_ascii=False, sort_keys=False),
    )


def coded_record(ann: Annotation, v: Verdict, language: str | None = None) -> ArticleRecord:
    a, key = ann.article, v.key
    events: dict[str, tuple] = {}
    for e in ann.events:
        events.setdefault(e.id, event_row(e, key, a.published))  # an id twice in one article: keep one
    rec = ArticleRecord(article=_article_row(a, v, "coded", len(events), language), events=list(events.values()))
    for i, m in enumerate(ann.actors):
        rec.mentions.append((key, i, m.sentence, m.start, m.end, m.text, m.actor.name, m.actor.code,
                             m.actor.country, m.actor.role, m.actor.kind, m.via))
    for i, q in enumerate(ann.quotes):
        sp = q.speaker
        rec.quotes.append((key, i, q.content.start, q.content.end, q.content.text, q.speaker_text,
                           sp.actor.code if sp else None, sp.actor.name if sp else None,
                           q.cue.text if q.cue else None, q.direct, json.dumps(q.to_dict(), ensure_ascii=False)))
    for i, p in enumerate(ann.places):
        rec.places.append((key, i, p.name, p.country, p.lat, p.lon, p.geonames_id, p.text, p.start, p.end))
    for i, t in enumerate(ann.times):
        rec.times.append((key, i, t.text, t.start, t.end, t.value, t.precision, t.type))
    rec.bands = [(b, key) for b in sorted(set(v.bands))]
    return rec


def copy_record(a: Article, v: Verdict, language: str | None = None) -> ArticleRecord:
    """An article stored as a copy or near-duplicate of ``v.original``: not coded."""
    return ArticleRecord(article=_article_row(a, v, v.kind, 0, language))
