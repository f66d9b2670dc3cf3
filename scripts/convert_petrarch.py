"""Convert the PETRARCH2 / Phoenix dictionaries (MIT) into newsevents' own data files.

Reads ``shared/corpora`` (``--corpora``, default: found beside the repository) and writes
``src/newsevents/data`` (``--out``):

    cameo-dictionaries/CAMEO.2.0.txt              -> cameo_verbs.json
    actors-leaders/phoenix/Phoenix.{Countries,International,MilNonState}.actors.txt
                                                  -> phoenix_actors.tsv
    actors-leaders/phoenix/Phoenix.agents.txt     -> phoenix_agents.tsv
    cameo-dictionaries/Phoenix.discards.txt       -> phoenix_discards.txt

The formats are described in ``newsevents.kb.petrarch``. Before parsing, a few typos of the source
files whose correction is certain are repaired (``TEXT_FIXES``: each names the file, line, the
text found and the text meant); every other irregular line is handled by the readers and listed on
standard error. The conversion is deterministic: ``tests/test_petrarch_dictionaries.py`` checks
that the bundled files equal a fresh run.

    python scripts/convert_petrarch.py [--corpora DIR] [--out DIR] [-v]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from newsevents.kb import petrarch as P
from newsevents.paths import DATA_DIR, corpora_dir

MIT_NOTICE = (
    "The MIT License (MIT). Copyright (c) 2014-2015 Open Event Data Alliance. "
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files (the \"Software\"), to deal in the Software "
    "without restriction, including without limitation the rights to use, copy, modify, merge, "
    "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons "
    "to whom the Software is furnished to do so, subject to the following conditions: The above "
    "copyright notice and this permission notice shall be included in all copies or substantial "
    "portions of the Software. THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, "
    "EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS "
    "FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT "
    "HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF "
    "CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE "
    "USE OR OTHER DEALINGS IN THE SOFTWARE."
)
ORIGIN = (
    "openeventdata/petrarch2 @ 676801cd9cb2924bbbad09f86d15c9323e7097bf, "
    "petrarch2/data/dictionaries/"
)

VERBS = "cameo-dictionaries/CAMEO.2.0.txt"
DISCARDS = "cameo-dictionaries/Phoenix.discards.txt"
ACTORS = [
    "actors-leaders/phoenix/Phoenix.Countries.actors.txt",
    "actors-leaders/phoenix/Phoenix.International.actors.txt",
    "actors-leaders/phoenix/Phoenix.MilNonState.actors.txt",
]
AGENTS = "actors-leaders/phoenix/Phoenix.agents.txt"

# (file name, line) -> (text on that line, text meant, why)
TEXT_FIXES: dict[tuple[str, int], tuple[str, str, str]] = {
    ("CAMEO.2.0.txt", 5787): ("[080!]", "[080]", "stray '!' in the code"),
    ("Phoenix.Countries.actors.txt", 745): (
        "Z\x1aROUAL", "ZEROUAL", "encoding damage (\\x1a for an accented E): Liamine Zeroual"),
    ("Phoenix.Countries.actors.txt", 12159): (
        "STRASK\x1aY", "STRASKY", "encoding damage (\\x1a for an accented Y): Jan Strasky"),
    ("Phoenix.Countries.actors.txt", 2039): (
        "9008223-", "900823-", "extra digit; Armenia's sovereignty declaration, 23 Aug 1990"),
    ("Phoenix.Countries.actors.txt", 18010): (
        ">201005011", ">20100511", "extra digit; David Cameron became prime minister 11 May 2010"),
    ("Phoenix.Countries.actors.txt", 22508): (
        "1920030320-", "20030320-", "doubled century; occupation of Iraq from 20 Mar 2003"),
    ("Phoenix.Countries.actors.txt", 22519): (
        "1920030320-", "20030320-", "doubled century; occupation of Iraq from 20 Mar 2003"),
    ("Phoenix.Countries.actors.txt", 43613): (
        "1920050709-", "20050709-", "doubled century; Southern Sudan autonomy from 9 Jul 2005"),
    ("Phoenix.agents.txt", 815): ("PÃŠBLICAS", "PÚBLICAS", "double-encoded UTF-8 (PÚBLICAS)"),
}


def _fixed_copy(src: Path, tmp: Path) -> Path:
    """``src`` with its TEXT_FIXES applied, under the same file name in ``tmp``."""
    fixes = {line: fix for (name, line), fix in TEXT_FIXES.items() if name == src.name}
    if not fixes:
        return src
    lines = src.read_text(encoding="utf-8").split("\n")
    for lineno, (wrong, right, _why) in fixes.items():
        if wrong not in lines[lineno - 1]:
            raise ValueError(
                f"{src}:{lineno}: expected {wrong!r} to fix, found {lines[lineno - 1]!r}"
            )
        lines[lineno - 1] = lines[lineno - 1].replace(wrong, right, 1)
    out = tmp / src.name
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def _header_note(sources: list[str]) -> str:
    return "\n".join([
        f"Source: {ORIGIN}{', '.join(Path(s).name for s in sources)}",
        MIT_NOTICE,
        "Generated by scripts/convert_petrarch.py; do not edit by hand.",
    ])


def convert_verbs(corpora: Path, out: Path, warnings: list[str] | None = None) -> P.VerbDictionary:
    with tempfile.TemporaryDirectory() as tmp:
        d = P.read_verb_dictionary(_fixed_copy(corpora / VERBS, Path(tmp)), warnings)
    P.write_verb_json(d, out, source=f"{ORIGIN}CAMEO.2.0.txt", license=MIT_NOTICE)
    return d


def convert_actors(
    corpora: Path, out: Path, warnings: list[str] | None = None
) -> list[P.ActorEntry]:
    """All three actor dictionaries in one table; ``file`` holds the short dictionary label
    (``Phoenix.Countries.actors.txt`` -> ``Countries``) to keep the table small."""
    entries: list[P.ActorEntry] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel in ACTORS:
            label = Path(rel).name.removeprefix("Phoenix.").removesuffix(".actors.txt")
            for e in P.read_actor_dictionary(_fixed_copy(corpora / rel, Path(tmp)), warnings):
                entries.append(replace(e, file=label))
    P.write_actor_tsv(entries, out, note=_header_note(ACTORS))
    return entries


def convert_agents(
    corpora: Path, out: Path, warnings: list[str] | None = None
) -> list[P.AgentEntry]:
    with tempfile.TemporaryDirectory() as tmp:
        entries = P.read_agent_dictionary(_fixed_copy(corpora / AGENTS, Path(tmp)), warnings)
    P.write_agent_tsv(entries, out, note=_header_note([AGENTS]))
    return entries


def convert_discards(corpora: Path, out: Path) -> list[P.DiscardEntry]:
    entries = P.read_discard_entries(corpora / DISCARDS)
    P.write_discards(entries, out, note=_header_note([DISCARDS]))
    return entries


def convert_all(corpora: Path, out_dir: Path) -> dict[str, list[str]]:
    """Write the four data files; returns the readers' warnings per output file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, list[str]] = {}
    for name, fn in (
        ("cameo_verbs.json", convert_verbs),
        ("phoenix_actors.tsv", convert_actors),
        ("phoenix_agents.tsv", convert_agents),
    ):
        report[name] = []
        fn(corpora, out_dir / name, report[name])
    convert_discards(corpora, out_dir / "phoenix_discards.txt")
    report["phoenix_discards.txt"] = []
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=None, help="shared/corpora folder")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (package data)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every repaired line")
    args = ap.parse_args(argv)
    corpora = args.corpora or corpora_dir()
    if corpora is None or not (corpora / VERBS).exists():
        print("shared/corpora not found: pass --corpora DIR", file=sys.stderr)
        return 2
    report = convert_all(corpora, args.out)
    for (name, line), (wrong, right, why) in sorted(TEXT_FIXES.items()):
        print(f"fixed {name}:{line}: {wrong!r} -> {right!r} ({why})", file=sys.stderr)
    for name, warnings in report.items():
        size = (args.out / name).stat().st_size
        print(f"{name}: {size / 1e6:.2f} MB, {len(warnings)} irregular line(s) handled",
              file=sys.stderr)
        for w in warnings if args.verbose else []:
            print(f"  {w}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
