#!/usr/bin/env python
"""Regenerate ``src/newsevents/data/countries.tsv`` from the countryinfo package and our overrides.

Usage::

    .venv/bin/pip install countryinfo==1.0.1     # dev-only dependency (MIT)
    .venv/bin/python scripts/build_countries.py            # rewrite the table
    .venv/bin/python scripts/build_countries.py --check    # exit 1 if the committed table differs

What comes from countryinfo: the ISO alpha-3 code, the English short name, the English official
names among its ``altSpellings``, the demonym, the capital and the capital's coordinates.
What comes from ``data/country_overrides.tsv`` (curated by hand): the names English news actually
uses ("U.S.", "Britain", "DPRK"), extra demonyms and plurals, other capital forms ("Kiev"), seats of
government used as metonyms ("the Kremlin"), corrected coordinates, renamed countries, Kosovo, and
the rows to drop (dissolved states).

The output is deterministic: rows sorted by code, list items in first-seen order, coordinates
rounded to four decimals, so rerunning the script on the same inputs rewrites the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "newsevents" / "data"
OUTPUT = DATA / "countries.tsv"
OVERRIDES = DATA / "country_overrides.tsv"
COLUMNS = ("iso3", "name", "names", "demonyms", "capital", "capital_names", "seats", "lat", "lon")
LIST_FIELDS = {"names", "demonyms", "capital_names", "seats"}
SCALAR_FIELDS = {"name", "capital", "lat", "lon"}
TABLE_WIDE_FIELDS = {"ambiguous", "risky"}  # read by the loader, not written to countries.tsv

# Words that make an alternative spelling an English official name ("Republic of Korea",
# "Hashemite Kingdom of Jordan"). countryinfo's altSpellings mix these with native-language names
# ("Nihon", "República de Chile") and ISO codes, which English news does not use as names.
_OFFICIAL_WORDS = {
    "republic", "kingdom", "state", "states", "federation", "federal", "federative", "commonwealth",
    "union", "principality", "grand", "duchy", "sultanate", "emirates", "territory", "islands",
    "island", "confederation", "independent", "co-operative", "cooperative", "bailiwick",
    "democratic", "people's", "peoples", "plurinational", "bolivarian", "hashemite", "socialist",
    "oriental", "eastern", "islamic", "arab", "united", "nation", "department", "of", "the", "and",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _is_english_official_name(alt: str, name: str) -> bool:
    """True for "Republic of Chile", "Argentine Republic"; False for "Chile", "CL", "Bharat".

    Every word must be an official-name word or share its first four letters with a word of the
    country's English name ("Argentine" ~ "Argentina", "Lao" ~ "Laos").
    """
    if "," in alt or not re.fullmatch(r"[A-Za-z' .()-]+", _fold(alt)):
        return False  # inverted ISO forms ("Korea, Republic of") and non-Latin scripts
    name_words = {_fold(w)[:4] for w in re.split(r"[ -]", name) if len(w) >= 3}
    words = [_fold(w) for w in alt.replace("(", " ").replace(")", " ").split()]
    has_official = any(w in _OFFICIAL_WORDS - {"of", "the", "and"} for w in words)
    has_name = any(w[:4] in name_words for w in words if len(w) >= 3)
    return (
        has_official
        and has_name
        and all(w in _OFFICIAL_WORDS or (len(w) >= 3 and w[:4] in name_words) for w in words)
    )


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        item = " ".join(item.split())
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def read_countryinfo() -> dict[str, dict]:
    """Rows keyed by ISO alpha-3 from the package's ``data`` folder (ISO entities only).

    The package's ``data_no_iso`` folder (Scotland, Gaza Strip, Clipperton Island...) is not read.
    Where two files share a code (Palestine, Vatican, Curaçao), the richer record wins and the
    alternative spellings of both are kept.
    """
    folder = resources.files("countryinfo") / "data"
    records: dict[str, list[dict]] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        info = json.loads(entry.read_text(encoding="utf-8"))
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if iso3 and info.get("name"):
            records.setdefault(iso3, []).append(info)
    rows: dict[str, dict] = {}
    for iso3, infos in records.items():
        infos.sort(key=lambda i: -sum(1 for v in i.values() if v))
        info = infos[0]
        alts = [a for i in infos for a in (i.get("altSpellings") or [])]
        name = info["name"]
        # "the State of Eritrea" -> "State of Eritrea": lookups accept a leading "the" anyway.
        alts = [re.sub(r"^the\s+", "", a.strip(), flags=re.IGNORECASE) for a in alts]
        names = [name] + [a for a in alts if _is_english_official_name(a, name)]
        demonyms = []
        for d in re.split(r"[,/]", info.get("demonym") or ""):
            d = d.strip()
            if d and _fold(d) != _fold(name):  # "Djibouti" is the country, not its demonym
                demonyms.append(d)
        capital = info.get("capital") or ""
        if isinstance(capital, list):
            capital = capital[0] if capital else ""
        latlng = info.get("capital_latlng") or []
        if latlng and isinstance(latlng[0], list):  # several capitals: keep the first
            latlng = latlng[0]
        lat, lon = ("", "")
        if len(latlng) == 2 and capital:
            lat, lon = f"{latlng[0]:.4f}", f"{latlng[1]:.4f}"
        rows[iso3] = {
            "iso3": iso3,
            "name": name,
            "names": _dedupe(names),
            "demonyms": _dedupe(demonyms),
            "capital": capital.strip(),
            "capital_names": [],
            "seats": [],
            "lat": lat,
            "lon": lon,
        }
    return rows


def apply_overrides(rows: dict[str, dict], path: Path = OVERRIDES) -> None:
    """Apply ``country_overrides.tsv`` in file order; raise ValueError naming the bad line."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header_seen = False
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if cells[:4] != ["iso3", "field", "op", "value"]:
                raise ValueError(f"{path}:{lineno}: header must start with iso3, field, op, value")
            header_seen = True
            continue
        if len(cells) < 4:
            raise ValueError(f"{path}:{lineno}: expected at least 4 tab-separated cells")
        iso3, field, op, value = (c.strip() for c in cells[:4])
        where = f"{path}:{lineno}"
        if iso3 == "*":
            if field not in TABLE_WIDE_FIELDS or op != "add":
                raise ValueError(f"{where}: table-wide rows are '*, ambiguous|risky, add, ...'")
            continue  # the loader reads these
        if field == "country":
            if op == "add":
                if iso3 in rows:
                    raise ValueError(f"{where}: {iso3} already exists")
                rows[iso3] = {"iso3": iso3, "name": value, "names": [value], "demonyms": [],
                              "capital": "", "capital_names": [], "seats": [], "lat": "", "lon": ""}
            elif op == "drop":
                if rows.pop(iso3, None) is None:
                    raise ValueError(f"{where}: cannot drop {iso3}: no such row")
            else:
                raise ValueError(f"{where}: field 'country' takes op add or drop")
            continue
        if iso3 not in rows:
            raise ValueError(f"{where}: unknown country {iso3}")
        row = rows[iso3]
        items = [v.strip() for v in value.split("|") if v.strip()]
        if field in SCALAR_FIELDS:
            if op != "set":
                raise ValueError(f"{where}: {field} takes op set")
            if field in ("lat", "lon") and value:
                value = f"{float(value):.4f}"
            row[field] = value
            if field == "name":  # the display name is also a name
                row["names"] = _dedupe([value] + row["names"])
        elif field in LIST_FIELDS:
            if op == "add":
                row[field] = _dedupe(row[field] + items)
            elif op == "remove":
                missing = [i for i in items if i not in row[field]]
                if missing:
                    raise ValueError(f"{where}: {missing} not in {iso3} {field}, cannot remove")
                row[field] = [i for i in row[field] if i not in items]
            elif op == "set":
                row[field] = _dedupe(items)
            else:
                raise ValueError(f"{where}: {field} takes op add, remove or set")
        else:
            raise ValueError(f"{where}: unknown field {field!r}")


def render(rows: dict[str, dict]) -> str:
    version = metadata.version("countryinfo")
    out = [
        f"# Generated by scripts/build_countries.py from countryinfo {version} (MIT) and"
        " country_overrides.tsv: edit those, not this file.",
        "\t".join(COLUMNS),
    ]
    for iso3 in sorted(rows):
        row = rows[iso3]
        cells = []
        for col in COLUMNS:
            v = row[col]
            cells.append("|".join(v) if isinstance(v, list) else v)
        if any("\t" in c or "\n" in c for c in cells):
            raise ValueError(f"{iso3}: a value contains a tab or newline")
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def build() -> str:
    rows = read_countryinfo()
    apply_overrides(rows)
    return render(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="only compare a fresh build with the committed table"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'differs from a fresh build'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    # Validate with the package's own loader, so a bad override fails here and not at import time.
    sys.path.insert(0, str(REPO / "src"))
    from newsevents.kb.countries import load_countries

    countries = load_countries(args.output)
    print(f"wrote {args.output} ({len(countries)} countries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
