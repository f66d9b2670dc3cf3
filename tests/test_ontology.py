"""The bundled CAMEO and PLOVER tables and their loader (real files, no mocks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsevents.coding import ontology
from newsevents.coding.ontology import (
    CameoCode,
    cameo,
    cameo_codes,
    goldstein,
    load_cameo,
    load_plover,
    plover_types,
    quad_class,
    root_of,
)
from newsevents.paths import data_path

ROOTS = [f"{i:02d}" for i in range(1, 21)]
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}


def test_table_loads_with_all_roots_and_about_three_hundred_codes():
    table = cameo_codes()
    assert all(root in table for root in ROOTS)
    assert 300 <= len(table) <= 330
    assert all(isinstance(c, CameoCode) for c in table.values())
    # every 4-digit and 3-digit code hangs under a listed parent
    for code, entry in table.items():
        if entry.parent is not None:
            assert entry.parent in table, code


def test_loaded_once_per_process():
    assert cameo_codes() is cameo_codes()
    assert plover_types() is plover_types()


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("01", "Make public statement"),
        ("018", "Make empathetic comment"),
        ("019", "Express accord"),
        ("036", "Express intent to meet or negotiate"),
        ("042", "Make a visit"),
        ("043", "Host a visit"),
        ("057", "Sign formal agreement"),
        ("111", "Criticize or denounce"),
        ("138", "Threaten with military force"),
        ("173", "Arrest, detain, or charge with legal action"),
        ("181", "Abduct, hijack, or take hostage"),
        ("19", "Fight"),
        ("2042", "Detonate nuclear weapons"),
    ],
)
def test_labels(code, label):
    assert cameo(code).label == label


@pytest.mark.parametrize(
    ("code", "weight"),
    [("010", 0.0), ("036", 4.0), ("042", 1.9), ("043", 2.8), ("111", -2.0), ("173", -5.0),
     ("181", -9.0), ("190", -10.0), ("0874", 10.0), ("130", -4.4)],
)
def test_goldstein_weights(code, weight):
    assert cameo(code).goldstein == weight
    assert goldstein(code) == weight


def test_every_code_has_a_goldstein_weight_in_range():
    assert all(-10.0 <= c.goldstein <= 10.0 for c in cameo_codes().values())


@pytest.mark.parametrize(
    ("roots", "quad"),
    [(ROOTS[0:5], 1), (ROOTS[5:9], 2), (ROOTS[9:14], 3), (ROOTS[14:20], 4)],
)
def test_quad_classes_by_root(roots, quad):
    for code, entry in cameo_codes().items():
        if entry.root in roots:
            assert entry.quad_class == quad, code
    assert all(quad_class(r) == quad for r in roots)


def test_unknown_subcode_falls_back_to_parent_then_root():
    assert cameo("0361").code == "036"
    assert cameo("0999").code == "09"
    assert root_of("0361") == "03"
    assert quad_class("1823") == 4


@pytest.mark.parametrize("code", ["", "abc", "3", "21", "00", "12345", "03a", None])
def test_non_codes_raise_key_error(code):
    with pytest.raises(KeyError):
        cameo(code)


def test_root_is_first_two_digits():
    assert all(c.root == code[:2] for code, c in cameo_codes().items())


def test_plover_table():
    types = plover_types()
    assert set(types) == PLOVER_TYPES
    assert types["CONSULT"].quad_class == 1
    assert set(types["CONSULT"].modes) == {"visit", "third-party", "multilateral", "phone"}
    assert "arrest" in types["COERCE"].modes
    assert types["ASSAULT"].class_name == "material conflict"
    assert all(t.description for t in types.values())


def test_every_plover_type_and_mode_in_cameo_is_defined_in_plover_table():
    types = plover_types()
    for code, entry in cameo_codes().items():
        if entry.plover_type is not None:
            assert entry.plover_type in types, code
        if entry.plover_mode is not None:
            assert entry.plover_mode in types[entry.plover_type].modes, code


def test_known_plover_mappings():
    assert (cameo("042").plover_type, cameo("042").plover_mode) == ("CONSULT", "visit")
    assert (cameo("173").plover_type, cameo("173").plover_mode) == ("COERCE", "arrest")
    assert cameo("036").plover_type == "AGREE"
    assert cameo("190").plover_type == "ASSAULT"
    # CAMEO's public statements and appeals have no PLOVER counterpart
    assert cameo("010").plover_type is None and cameo("020").plover_type is None


# --- validation errors name the file, the line and the reason ---------------------------------

HEADER = "code\tlabel\troot\tgoldstein\tquad_class\tplover_type\tplover_mode\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cameo_bad.tsv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("03\tExpress intent\t03\t4.0\t1\tAGREE\t\n03x\tBroken\t03\t4.0\t1\t\t\n", 3, "digits"),
        ("03\tExpress intent\t03\t4.0\t1\tAGREE\t\n036\tMeet\t04\t4.0\t1\t\t\n", 3, "root"),
        ("03\tExpress intent\t03\t14.0\t1\tAGREE\t\n", 2, "outside"),
        ("03\tExpress intent\t03\tfour\t1\tAGREE\t\n", 2, "number"),
        ("03\tExpress intent\t03\t4.0\t5\tAGREE\t\n", 2, "quad_class"),
        ("03\tExpress intent\t03\t4.0\t1\tDISAPPROVE\t\n", 2, "PLOVER type"),
        ("03\tExpress intent\t03\t4.0\t1\tAGREE\tvisit\n", 2, "mode"),
        ("03\tExpress intent\t03\t4.0\t1\tAGREE\t\n03\tAgain\t03\t4.0\t1\tAGREE\t\n", 3, "already"),
        ("036\tMeet\t03\t4.0\t1\tAGREE\t\n", 2, "parent"),
        ("03\tExpress intent\t03\t4.0\t1\n", 2, "fields"),
    ],
)
def test_malformed_table_raises_value_error_naming_file_and_line(tmp_path, body, line, reason):
    path = _write(tmp_path, body)
    with pytest.raises(ValueError) as err:
        load_cameo(path)
    message = str(err.value)
    assert str(path) in message
    assert f"line {line}:" in message
    assert reason in message


def test_wrong_header_is_reported(tmp_path):
    path = tmp_path / "cameo_header.tsv"
    path.write_text("code\tname\n01\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: header"):
        load_cameo(path)


def test_malformed_plover_table(tmp_path):
    path = tmp_path / "plover_bad.tsv"
    path.write_text(
        "type\tmode\tquad_class\tclass\tdescription\n"
        "CONSULT\t\t1\tverbal cooperation\tMeet\n"
        "CONSULT\tvisit\t2\tmaterial cooperation\tVisit\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}, line 3: quad_class"):
        load_plover(path)


def test_bundled_files_are_where_paths_say():
    assert data_path("cameo.tsv").is_file()
    assert data_path("plover.tsv").is_file()
    assert ontology.load_cameo() == dict(cameo_codes())


# --- cross-check against the PLOVER project's own CAMEO->PLOVER table --------------------------

def _read_cameo2plover(path: Path) -> list[tuple[int, str, str, str | None]]:
    """(line, code, type, mode) for every mapping line of CAMEO2PLOVER-2021.txt."""
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        m = re.fullmatch(r"(\d{2,4}):\s*(.*)", line)
        if not m:
            continue
        fields = [f.strip() for f in m.group(2).split(",")]
        mode = fields[1] if len(fields) > 1 and fields[1] else None
        out.append((lineno, m.group(1), fields[0], mode))
    return out


def test_cameo_table_agrees_with_cameo2plover(corpora):
    path = corpora / "plover-gsr" / "CAMEO2PLOVER-2021.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    rows = _read_cameo2plover(path)
    assert len(rows) > 250
    table = cameo_codes()
    types = plover_types()
    listed: dict[str, set[str]] = {}
    for lineno, code, ptype, mode in rows:
        listed.setdefault(code, set()).add(ptype)
        assert code in table, f"line {lineno}: {code} missing from cameo.tsv"
        entry = table[code]
        if code == "08":
            continue  # the file heads root 08 twice (CONCEDE, RETREAT); checked below
        assert entry.plover_type == ptype, f"line {lineno}: {code}"
        # modes the PLOVER table does not define for the type are left empty on purpose
        expected_mode = mode if mode in types[ptype].modes else None
        assert entry.plover_mode == expected_mode, f"line {lineno}: {code}"
    assert table["08"].plover_type in listed["08"]
    assert table["08"].plover_type == table["080"].plover_type
    # codes the file leaves out inherit their nearest listed ancestor's type, or stay empty
    for code, entry in table.items():
        if code in listed:
            continue
        ancestors = [a for a in (code[:3], code[:2]) if a != code and a in listed]
        if ancestors:
            assert entry.plover_type == table[ancestors[0]].plover_type, code
            assert entry.plover_mode is None, code
        else:
            assert entry.plover_type is None and entry.plover_mode is None, code
