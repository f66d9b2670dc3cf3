"""Our steps after spaCy's own components, each on Docs parsed once for the session."""

import json

from newsevents.nlp.actors import to_mentions


def test_actor_component(benchmark, pipeline, parsed):
    resolve = pipeline.nlp.get_pipe("newsevents_actors")
    # the component recomputes the doc's actor annotations from its entities and parse
    benchmark(lambda: [resolve(doc) for _, doc in parsed])


def test_lexicon_match(benchmark, pipeline, parsed):
    verbs = [t for _, doc in parsed for t in doc if t.pos_ in ("VERB", "AUX")]
    match = pipeline.coder.lexicon.match
    benchmark(lambda: [match(v) for v in verbs])


def test_coder_code(benchmark, pipeline, parsed):
    code = pipeline.coder.code
    benchmark(lambda: [code(doc, a.id, a.published) for a, doc in parsed])


def test_to_mentions(benchmark, parsed):
    benchmark(lambda: [to_mentions(doc) for _, doc in parsed])


def test_event_json(benchmark, pipeline, parsed):
    events = [e for a, doc in parsed for e in pipeline.coder.code(doc, a.id, a.published)]
    benchmark(lambda: [json.dumps(e.to_dict(), ensure_ascii=False) for e in events])
