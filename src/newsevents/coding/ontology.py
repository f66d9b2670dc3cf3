"""The event ontologies: CAMEO codes (Goldstein weights, quad classes) and PLOVER types.

Two bundled tables, read once per process and checked on load:

``data/cameo.tsv``
    Every CAMEO 1.1b3 event code (the 20 roots and their 3- and 4-digit sub-codes), plus 1213 and
    1214, which the CAMEO manual lacks but PETRARCH2's verb dictionary and the PLOVER mapping use.
    Columns: code, label, root, goldstein, quad_class, plover_type, plover_mode.

    * goldstein: the CAMEO->Goldstein (1992) weights GDELT publishes (``CAMEO.goldsteinscale.txt``).
      Codes that table lacks (1213, 1214, and the 1.1b3 additions 155, 176, 1834, 1951, 1952) take
      their parent's weight.
    * quad_class: 1 verbal cooperation (roots 01-05), 2 material cooperation (06-09), 3 verbal
      conflict (10-14), 4 material conflict (15-20), the GDELT/Phoenix convention.
    * plover_type/plover_mode: from the PLOVER project's ``CAMEO2PLOVER-2021.txt``. Roots 01 and 02
      have no PLOVER counterpart and are left empty; codes missing from that file inherit the type
      (not the mode) of their nearest listed ancestor; a mode the PLOVER table below does not define
      for that type is left empty.

``data/plover.tsv``
    The 16 PLOVER event types and their modes (type rows have an empty mode), with the PLOVER
    manual's quad class and a short description. Modes follow the PLOVER codebook NGEC uses, plus
    COERCE ``martial-law`` from the PLOVER manual.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from newsevents.paths import data_path

QUAD_CLASSES: Mapping[int, str] = MappingProxyType(
    {
        1: "verbal cooperation",
        2: "material cooperation",
        3: "verbal conflict",
        4: "material conflict",
    }
)

CAMEO_COLUMNS = ("code", "label", "root", "goldstein", "quad_class", "plover_type", "plover_mode")
PLOVER_COLUMNS = ("type", "mode", "quad_class", "class", "description")

_CODE_RE = re.compile(r"[0-9]{2,4}")
_TYPE_RE = re.compile(r"[A-Z]+")
_MODE_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code and what it maps to."""

    code: str  # "036"
    label: str  # "Express intent to meet or negotiate"
    root: str  # "03"
    goldstein: float  # -10.0 (most conflictual) .. +10.0 (most cooperative)
    quad_class: int  # 1..4, see QUAD_CLASSES
    plover_type: str | None  # "AGREE"; None where PLOVER has no counterpart (roots 01, 02)
    plover_mode: str | None  # "visit"; None where the mapping gives no (valid) mode

    @property
    def parent(self) -> str | None:
        """The code one level up ("0361" -> "036", "036" -> "03"), None for a root."""
        return _parent_code(self.code)


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type and its modes."""

    name: str  # "CONSULT"
    quad_class: int  # 1..4, the PLOVER manual's quad category
    description: str
    modes: Mapping[str, str] = field(default_factory=dict)  # mode -> description

    @property
    def class_name(self) -> str:
        return QUAD_CLASSES[self.quad_class]


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a headed TSV, skipping blank and ``#`` lines.

    Read by hand rather than with ``csv`` so that line numbers in errors are exact and quotes in
    labels ("Meet at a 'third' location") are plain text.
    """
    with open(path, encoding="utf-8") as fh:
        header: list[str] | None = None
        for lineno, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = cells
                if tuple(header) != columns:
                    raise ValueError(
                        f"{path}, line {lineno}: header must be {' '.join(columns)!r} "
                        f"(tab-separated), found {' '.join(header)!r}"
                    )
                continue
            if len(cells) != len(columns):
                raise ValueError(
                    f"{path}, line {lineno}: expected {len(columns)} tab-separated fields, "
                    f"found {len(cells)}"
                )
            yield lineno, dict(zip(columns, cells))
        if header is None:
            raise ValueError(f"{path}, line 1: empty file, no header")


def _parent_code(code: str) -> str | None:
    if len(code) == 2:
        return None
    return code[:3] if len(code) == 4 else code[:2]


def load_plover(path: Path | None = None) -> dict[str, PloverType]:
    """Read the PLOVER types table; raise ValueError naming file, line and reason on bad rows."""
    path = Path(path) if path else data_path("plover.tsv")
    types: dict[str, dict] = {}
    for lineno, row in _rows(path, PLOVER_COLUMNS):
        def bad(reason: str) -> ValueError:
            return ValueError(f"{path}, line {lineno}: {reason}")

        name, mode, desc = row["type"], row["mode"], row["description"]
        if not _TYPE_RE.fullmatch(name):
            raise bad(f"type must be upper-case letters, not {name!r}")
        try:
            quad = int(row["quad_class"])
        except ValueError:
            raise bad(f"quad_class must be an integer 1-4, not {row['quad_class']!r}") from None
        if quad not in QUAD_CLASSES:
            raise bad(f"quad_class must be 1-4, not {quad}")
        if row["class"] != QUAD_CLASSES[quad]:
            raise bad(
                f"class {row['class']!r} does not match quad_class {quad} ({QUAD_CLASSES[quad]!r})"
            )
        if not desc:
            raise bad("empty description")
        if not mode:
            # a type row: it must come first, once, so that mode rows below can attach to it
            if name in types:
                raise bad(f"type {name} defined twice")
            types[name] = {"quad": quad, "description": desc, "modes": {}}
            continue
        if name not in types:
            raise bad(f"mode {mode!r} comes before its type row for {name}")
        if not _MODE_RE.fullmatch(mode):
            raise bad(f"mode must be lower-case words joined by '-', not {mode!r}")
        if quad != types[name]["quad"]:
            raise bad(f"quad_class {quad} differs from the {name} type row ({types[name]['quad']})")
        if mode in types[name]["modes"]:
            raise bad(f"mode {name} {mode} defined twice")
        types[name]["modes"][mode] = desc
    return {
        name: PloverType(name, t["quad"], t["description"], MappingProxyType(t["modes"]))
        for name, t in types.items()
    }


def load_cameo(
    path: Path | None = None, plover: Mapping[str, PloverType] | None = None
) -> dict[str, CameoCode]:
    """Read the CAMEO table and check every row.

    Checks: codes are 2-4 digits and unique; root is the code's first two digits and one of 01-20;
    every sub-code's parent is in the table; goldstein is a number in [-10, 10]; quad_class is 1-4
    and the same for a root and all its sub-codes; plover_type is a type of ``plover`` (default:
    the bundled plover.tsv) and plover_mode, if set, one of that type's modes. Any failure raises
    ValueError naming the file, the line and the reason.
    """
    path = Path(path) if path else data_path("cameo.tsv")
    plover = plover if plover is not None else plover_types()
    table: dict[str, CameoCode] = {}
    lines: dict[str, int] = {}
    for lineno, row in _rows(path, CAMEO_COLUMNS):
        def bad(reason: str) -> ValueError:
            return ValueError(f"{path}, line {lineno}: {reason}")

        code, root = row["code"], row["root"]
        if not _CODE_RE.fullmatch(code):
            raise bad(f"code must be 2 to 4 digits, not {code!r}")
        if code in table:
            raise bad(f"code {code} already defined on line {lines[code]}")
        if root != code[:2]:
            raise bad(f"root {root!r} is not the first two digits of code {code}")
        if not 1 <= int(root) <= 20:
            raise bad(f"root {root} is not a CAMEO root (01-20)")
        if not row["label"]:
            raise bad(f"code {code} has no label")
        try:
            goldstein = float(row["goldstein"])
        except ValueError:
            raise bad(f"goldstein must be a number, not {row['goldstein']!r}") from None
        if not -10.0 <= goldstein <= 10.0:  # also rejects nan
            raise bad(f"goldstein {goldstein} is outside [-10, 10]")
        try:
            quad = int(row["quad_class"])
        except ValueError:
            raise bad(f"quad_class must be an integer 1-4, not {row['quad_class']!r}") from None
        if quad not in QUAD_CLASSES:
            raise bad(f"quad_class must be 1-4, not {quad}")
        ptype = row["plover_type"] or None
        pmode = row["plover_mode"] or None
        if ptype is not None and ptype not in plover:
            raise bad(f"plover_type {ptype!r} is not a PLOVER type ({', '.join(plover)})")
        if pmode is not None:
            if ptype is None:
                raise bad(f"plover_mode {pmode!r} given without a plover_type")
            if pmode not in plover[ptype].modes:
                known = ", ".join(plover[ptype].modes) or "none"
                raise bad(f"plover_mode {pmode!r} is not a mode of {ptype} (modes: {known})")
        parent = _parent_code(code)
        # parents are listed before their children, so a missing parent is a broken hierarchy
        if parent is not None and parent not in table:
            raise bad(f"code {code} comes before (or without) its parent {parent}")
        if parent is not None and quad != table[root].quad_class:
            raise bad(f"quad_class {quad} differs from its root {root} ({table[root].quad_class})")
        table[code] = CameoCode(code, row["label"], root, goldstein, quad, ptype, pmode)
        lines[code] = lineno
    return table


@functools.lru_cache(maxsize=1)
def plover_types() -> Mapping[str, PloverType]:
    """The bundled PLOVER types by name (read-only; loaded once per process)."""
    return MappingProxyType(load_plover())


@functools.lru_cache(maxsize=1)
def cameo_codes() -> Mapping[str, CameoCode]:
    """The bundled CAMEO table by code (read-only; loaded once per process)."""
    return MappingProxyType(load_cameo())


def cameo(code: str) -> CameoCode:
    """Look a CAMEO code up in the bundled table.

    A code the table lacks falls back to its 3-digit parent, then to its root ("0361" gives the
    entry of "036"), since coders and dictionaries sometimes emit sub-codes CAMEO never defined;
    the returned entry's ``code`` says which code was used. Raises KeyError for anything that is
    not a 2-4 digit code under one of the 20 roots.
    """
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code.strip()):
        raise KeyError(code)
    code = code.strip()
    table = cameo_codes()
    for candidate in (code, code[:3], code[:2]):
        if candidate in table:
            return table[candidate]
    raise KeyError(code)


def root_of(code: str) -> str:
    """The two-digit root of a CAMEO code ("0361" -> "03"); KeyError for a non-code."""
    return cameo(code).root


def quad_class(code: str) -> int:
    """The quad class (1-4) of a CAMEO code; KeyError for a non-code."""
    return cameo(code).quad_class


def goldstein(code: str) -> float:
    """The Goldstein weight of a CAMEO code (or of its nearest listed ancestor).

    Raises KeyError for a non-code.
    """
    return cameo(code).goldstein
