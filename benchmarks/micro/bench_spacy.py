"""The model's own rule-based components, the first levers named in docs/performance.md."""

import pytest


@pytest.mark.parametrize("component", ["attribute_ruler", "lemmatizer", "newsevents_ruler"])
def test_component(benchmark, pipeline, demo_articles, component):
    nlp = pipeline.nlp
    names = nlp.pipe_names
    before = names[: names.index(component)]
    # Docs processed up to (not including) the component, made once; the component then runs
    # on copies so every round sees the same input.
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe((pipeline._make_doc(a) for a in demo_articles)))
    proc = nlp.get_pipe(component)
    benchmark(lambda: [proc(d.copy()) for d in docs])
