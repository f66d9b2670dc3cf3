"""Integration: the article that started the project (read from ../shared/seed, never copied).

The events checked are the ones the foundation issue lists; matching is on source country, target
country and CAMEO root, as the project's gold scoring does. Skipped when ../shared is absent.
"""

import pytest

from newsevents.ingest import read_paths


@pytest.fixture(scope="module")
def seed(shared, pipeline):
    path = shared / "seed" / "kishida-north-korea-summit-2024-02-15.txt"
    (article,) = list(read_paths([path]))
    return pipeline.annotate(article)


def has(events, src, tgt, root, **conds):
    for e in events:
        if e.source.actor.code[:3] != src or e.target.actor.code[:3] != tgt or e.root != root:
            continue
        if all(getattr(e, k) == v if not callable(v) else v(getattr(e, k)) for k, v in conds.items()):
            return e
    return None


def test_header_and_normalisation(seed):
    art = seed.article
    assert str(art.published) == "2024-02-15" and art.author == "Ben McGrath"
    assert "*Financial Times*" not in art.text and "$US14.9" in art.text
    assert "So far, Washington" in art.text


def test_events_listed_in_the_issue(seed):
    ev = seed.events
    e = has(ev, "JPN", "PRK", "03")
    assert e is not None and e.source.actor.code == "JPNGOV" and e.target.actor.code == "PRKGOV"
    assert has(ev, "PRK", "JPN", "01", cameo="018") is not None  # message of sympathy
    abduction = has(ev, "PRK", "JPN", "18")
    assert abduction is not None and abduction.date == "1977/1983" and abduction.modality == "historical"
    ft = has(ev, "JPN", "PRK", "04", attributed_to="Financial Times")
    assert ft is not None and ft.modality == "reported"
    assert has(ev, "USA", "JPN", "11") is not None  # Johnstone: a "fraught exercise"
    block = has(ev, "USA", "JPN", "13")
    assert block is not None and block.target.actor.role == "BUS" and block.modality != "asserted"
    indicted = has(ev, "JPN", "JPN", "17")
    assert indicted is not None and indicted.target.actor.role in ("LEG", "PTY") and indicted.date == "2024-01"


def test_no_negated_or_hypothetical_statement_is_asserted(seed):
    by_pred = {e.predicate.text: e for e in seed.events}
    informed = next(e for p, e in by_pred.items() if "informed" in p)
    assert informed.modality == "negated" and informed.attributed_to == "Financial Times"
    for e in seed.events:
        if "would" in e.predicate.text or "could" in e.evidence.text[max(0, e.predicate.start - e.evidence.start - 12):e.predicate.start - e.evidence.start]:
            assert e.modality != "asserted", e.to_dict()


def test_historical_summit_codes_leaders_of_the_time(seed):
    e = has(seed.events, "JPN", "PRK", "04", date="2002")
    assert e is not None and e.modality == "historical"
    assert e.source.actor.code == "JPNGOV" and e.target.actor.code == "PRKGOV"  # Koizumi, Kim Jong Il in 2002
