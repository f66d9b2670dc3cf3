"""Long articles are parsed in paragraph chunks (bounded memory) without changing the output."""

import json

import newsevents.nlp.pipeline as nlp_pipeline
from newsevents.nlp.pipeline import LONG_TEXT_CHARS, split_text
from newsevents.paths import data_path
from newsevents.pipeline import make_article


def _long_text() -> str:
    texts = [json.loads(line)["text"] for line in open(data_path("demo", "wikinews-demo.jsonl"), encoding="utf-8") if line.strip()]
    out, size = [], 0
    for t in texts:
        out.append(t)
        size += len(t)
        if size > 2.5 * LONG_TEXT_CHARS:
            break
    return "\n\n".join(out)


def test_split_text_is_exact_and_bounded():
    text = _long_text()
    pieces = split_text(text, 5000)
    assert "".join(pieces) == text
    assert len(pieces) > 1 and all(len(p) <= 5000 for p in pieces)
    assert all(p.endswith("\n") or p.endswith(" ") for p in pieces[:-1])  # cut at a break
    assert split_text("short text", 5000) == ["short text"]


def _facts(ann):
    return (
        [(e.source.actor.code, e.cameo, e.target.actor.code, e.predicate.start, e.modality) for e in ann.events],
        [(m.start, m.end, m.actor.code) for m in ann.actors],
    )


def test_chunked_parse_keeps_offsets_and_events(pipeline, monkeypatch):
    article = make_article(_long_text(), "2020-01-15")
    text = article.text  # offsets refer to the normalised text
    assert len(text) > LONG_TEXT_CHARS
    chunked = pipeline.annotate(article)
    for e in chunked.events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text
        assert text[e.predicate.start:e.predicate.end] == e.predicate.text
    for m in chunked.actors:
        assert text[m.start:m.end] == m.text
    monkeypatch.setattr(nlp_pipeline, "LONG_TEXT_CHARS", 10 * len(text))
    monkeypatch.setattr(nlp_pipeline, "BATCH_CHARS", 10 * len(text))
    whole = pipeline.annotate(article)
    ev_c, act_c = _facts(chunked)
    ev_w, act_w = _facts(whole)
    assert len(chunked.events) > 10
    # the parser sees the same paragraphs either way; allow a stray difference at a chunk seam
    assert len(set(ev_c) ^ set(ev_w)) <= 0.05 * len(ev_w)
    assert len(set(act_c) ^ set(act_w)) <= 0.05 * len(act_w)
