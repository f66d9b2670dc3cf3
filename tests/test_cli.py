"""The CLI contracts of DESIGN.md: code (table, jsonl, csv), annotate, bad input handling."""

import csv
import io
import json

from typer.testing import CliRunner

from newsevents.cli import CSV_FIELDS, app

runner = CliRunner()

ARTICLE = """Talks resume between rivals

Jane Doe
3 March 2024

Japanese Prime Minister Fumio Kishida is seeking a summit with North Korean leader Kim Jong Un.
The *Financial Times* reported on Tuesday that Tokyo had reportedly not informed the US about its talks.
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_code_jsonl_follows_the_event_contract(tmp_path):
    art = write(tmp_path, "a.txt", ARTICLE)
    res = runner.invoke(app, ["code", str(art), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert events
    jp = [e for e in events if e["source"]["code"] == "JPNGOV" and e["target"]["code"] == "PRKGOV"]
    assert jp and jp[0]["cameo"].startswith("03") and jp[0]["date"] == "2024-03-03"
    neg = [e for e in events if e["modality"] == "negated"]
    assert neg and neg[0]["attributed_to"] == "Financial Times"


def test_code_csv_and_table(tmp_path):
    art = write(tmp_path, "a.md", ARTICLE)
    res = runner.invoke(app, ["code", str(art), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and list(rows[0]) == CSV_FIELDS
    res = runner.invoke(app, ["code", str(art)])
    assert res.exit_code == 0 and "JPNGOV" in res.stdout


def test_annotate_prints_article_json(tmp_path):
    art = write(tmp_path, "a.txt", ARTICLE)
    res = runner.invoke(app, ["annotate", str(art)])
    assert res.exit_code == 0, res.output
    (obj,) = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert set(obj) == {"article", "events", "quotes", "times", "places", "actors"}
    text = obj["article"]["text"]
    assert "*" not in text and obj["article"]["published"] == "2024-03-03"
    for a in obj["actors"]:
        assert text[a["start"]:a["end"]] == a["text"]


def test_published_option_fills_missing_dates(tmp_path):
    art = write(tmp_path, "plain.txt", "Iran seized a British tanker on Friday.\n")
    res = runner.invoke(app, ["code", str(art), "--format", "jsonl", "--published", "2019-07-22"])
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert events and events[0]["date"] == "2019-07-19"
    bad = runner.invoke(app, ["code", str(art), "--published", "22/07/2019"])
    assert bad.exit_code != 0


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path):
    good = write(tmp_path, "good.txt", "China condemned the United States on Monday.\n")
    empty = write(tmp_path, "empty.txt", "")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 50)
    res = runner.invoke(app, ["code", str(empty), str(binary), str(good), str(tmp_path / "missing.txt"),
                              "--format", "jsonl"])
    assert res.exit_code == 0
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip().startswith("{")]
    assert any(e["source"]["country"] == "CHN" for e in events)
    for name in ("empty.txt", "blob.txt", "missing.txt"):
        assert name in res.stderr
