"""Build the bundled Wikinews demo corpus and check the hand-written gold events.

Usage (from the repository root, with ../shared beside it):

    python scripts/build_demo_corpus.py               # writes the demo jsonl and ATTRIBUTION.md
    python scripts/build_demo_corpus.py --scores      # prints every article's score
    python scripts/build_demo_corpus.py --check-gold  # validates tests/fixtures/gold/wikinews/

Selection rule (reproducible; nothing random):

1. Candidates are the articles of ``wikinews-articles/wikinews_2019.csv`` and ``wikinews_2020.csv``
   with at most ``MAX_WORDS`` words whose URL is not in ``EXCLUDE`` (read and judged not to be
   political news, each with its reason).
2. Each candidate gets a score over its title and text:
   ``3 * min(countries, 5) + sum over keyword groups of min(hits, 3) - 8 * off_topic_title``
   where ``countries`` is the number of distinct country codes whose names, demonyms or cities from
   the Phoenix country dictionary (MIT; ``actors-leaders/phoenix``) occur capitalised in the text, a
   keyword group is one of ``POLITICAL_KEYWORDS`` (diplomacy, conflict, protest, election, justice,
   government) and ``off_topic_title`` is 1 when the title has a word of ``OFF_TOPIC_TITLE``
   (deaths, disasters, science, sport, interviews, campaign diaries).
3. The URLs in ``INCLUDE`` (political news that the score ranks too low, hand-picked after reading)
   are always selected. The remaining places up to ``TARGET`` are filled in score order (ties broken
   by date, then URL), taking at most ``MAX_PER_COUNTRY`` articles whose most-mentioned country is
   the same, so that one country's domestic news does not crowd out the rest.

Articles with hand-written gold events (``tests/fixtures/gold/wikinews``) must stay selected: the
script refuses to write a corpus that drops one. ``--scores`` prints the whole ranking with the
marks ``*`` (selected), ``I`` (INCLUDE) and ``X`` (EXCLUDE).

The text is copied as in the CSV with only the leading weekday dateline paragraph removed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "newsevents" / "data" / "demo"
OUT_JSONL = OUT_DIR / "wikinews-demo.jsonl"
OUT_ATTRIBUTION = OUT_DIR / "ATTRIBUTION.md"
GOLD_DIR = REPO / "tests" / "fixtures" / "gold" / "wikinews"

SOURCE_REPO = "vanatteveldt/wikinews"
SOURCE_COMMIT = "347254178bf343f3801aac1d03c41cc09c35decb"
CSV_FILES = ("wikinews_2019.csv", "wikinews_2020.csv")

TARGET = 52
MAX_WORDS = 1500
# At most this many articles filled by score may share a primary country (the most mentioned one),
# so that United States domestic news does not crowd out the rest.
MAX_PER_COUNTRY = 8

W = "https://en.wikinews.org//wiki/"

# Keyword groups; a group adds min(hits, 3) to the score. Patterns are case-insensitive prefixes
# of words.
POLITICAL_KEYWORDS: dict[str, list[str]] = {
    "diplomacy": ["summit", "talks", "foreign minist", "ambassador", "embass", "diplomat", "treaty",
                  "agreement", "negotiat", "sanction", "envoy", "bilateral", "united nations"],
    "conflict": ["troops", "military", "airstrike", "air strike", "missile", "invasion", "invade",
                 "war", "rebel", "militant", "drone", "offensive", "army"],
    "protest": ["protest", "demonstrat", "rally", "riot", "tear gas", "march"],
    "election": ["election", "vote", "voted", "parliament", "referendum", "ballot", "legislat"],
    "justice": ["arrest", "court", "trial", "sentenced", "charged", "impeach", "subpoena",
                "warrant",
                "extradit", "detain"],
    "government": ["president", "prime minister", "government", "minister", "chancellor",
                   "cabinet"],
}

# Titles with these words are mostly not political news; they lose 8 points (still selectable).
OFF_TOPIC_TITLE = [
    "dies", "dead", "died", "killed by", "interview", "interviews", "tells wikinews", "discusses",
    "hurricane", "storm", "typhoon", "earthquake", "quake", "fire", "crash", "crashes", "collapse",
    "scientists", "study", "researchers", "astronomers", "rugby", "marathon", "championships",
    "comicon", "anime", "fan expo", "convention", "faire", "coronavirus", "covid-19", "sars-cov-2",
    "campaign trail", "primary", "primaries", "caucus", "caucuses", "ends us presidential",
]

# Hand-picked after reading: political news the score ranks too low (few country names, short).
# Always selected.
INCLUDE: dict[str, str] = {
    W + "Arrest_made_as_mayor_of_Gda%C5%84sk,_Poland_stabbed_on_stage":
        "attack on a Polish mayor; statements by national leaders",
    W + "Puerto_Rico_governor_announces_resignation_following_protests":
        "protests force a governor's resignation",
    W + "US_President_Trump_says_Osama_bin_Laden%27s_son_killed":
        "US counter-terrorism operation against al-Qaeda",
    W + "Indonesian_security_minister_Wiranto_stabbed": "attack on a minister; arrests",
    W + "Ukrainian_president_rejects_prime_minister%27s_resignation_over_leaked_audio_recording":
        "president and prime minister of Ukraine",
    W + "Yemeni_journalist_Nabil_Hasan_al-Quaety_shot_dead_in_Aden":
        "killing of a journalist in Yemen's civil war; calls for investigation",
    W + "Serbian_protesters_try_to_storm_Parliament;_fourth_day_of_protests":
        "anti-government protests, clashes with police",
    W + "Russia%27s_Navalny_airlifted_to_Germany": "Russian opposition leader, Germany",
    W + "UK_urges_US_to_waive_immunity_for_diplomat%27s_wife_involved_in_fatal_collision":
        "diplomatic dispute between the UK and the US",
    W + "Philippines%27_largest_television_network_shut_down_by_government":
        "government against broadcaster, senators object",
}

# Read and excluded although they score high enough to be picked (reason given).
EXCLUDE: dict[str, str] = {
    W + "TEST_PAGE:Self-publish_yesterday": "test page, not an article",
    W + "TEST_PAGE:Self-publish_today": "test page, not an article",
    W + "Greta_Thunberg_named_2019_Time_Person_of_the_Year": "magazine award, no political event",
    W + "Hungarian_state-owned_enterprise_acquires_Hirtenberger_Defence_Group": "business deal",
    W + "Samoan_government_ends_state_of_emergency_over_measles_outbreak": "public health",
    W + "Samoan_government_temporarily_shuts_down_for_nationwide_measles_vaccination_drive":
        "public health",
    W + "Block_of_flats_collapses_in_Aleppo,_killing_eleven": "building collapse",
    W + "Hundreds_arrested_for_%27dark_web%27_child_porn_by_international_task_force":
        "crime story",
    W + "British_supermarket_chain_Tesco_to_sell_its_Polish_branch_to_Salling_Group_A/S":
        "business deal",
    W + "German_migrant_rescue_charity_renames_ship_after_drowned_Syrian_toddler":
        "charity news, no interaction between political actors",
    W + "Longtime_leader_of_Zimbabwe_Robert_Mugabe_dies_aged_95": "obituary",
    W + "Sultan_Qaboos_of_Oman_dies": "obituary",
    W + "Former_U.S._intelligence_agent_Tony_Mendez,_architect_of_%27Argo%27_rescue,_dies_at_78":
        "obituary",
    W + "Wikinews_investigates_disappearance_of_Indonesian_cargo_ship_Namse_Bangdzod":
        "shipping mystery",
    W + "European_Court_of_Justice_says_Facebook_must_remove_%27illegal%27_posts_globally":
        "court ruling on a company",
    W + "Texas_federal_judge_says_drafting_only_men_violates_United_States_Constitution":
        "court ruling, no political interaction",
    W + "US_Federal_judge_rules_American_Samoans_are_citizens,_then_delays_implementation_pending_appeal":
        "court ruling, no political interaction",
    W + "Bloomberg,_Warren_end_US_presidential_campaigns_following_Super_Tuesday":
        "primary results",
    W + "New_Zealand_mosque_murder_suspect_appears_in_court_at_Christchurch": "criminal trial",
    W + "Arrests_made_in_theft_of_gold_toilet_in_England": "crime story",
    W + "Kennedy_assassin_Sirhan_Sirhan_stabbed_in_California_prison": "crime story",
    W + "Paris_court_jails_two_police_in_high-profile_rape_case": "criminal trial",
    W + "Stampede_during_funeral_procession_of_Qasem_Soleimani_causes_deaths,_delays_burial":
        "accident",
    W + "First_foreigners_die_from_coronavirus_in_Wuhan,_China": "public health",
    W + "SARS-CoV-2_surpasses_one_million_infections_worldwide": "public health",
    W + "Tributes_paid_to_recently_deceased_US_actor_Chadwick_Boseman": "obituary",
    W + "Prime_Minister_of_Slovakia_Igor_Matovi%C4%8D_tests_positive_for_COVID-19": "health",
    W + "Wikinews_interviews_2020_US_Libertarian_Party_presidential_candidate_Adam_Kokesh":
        "interview, opinions rather than events",
    W + "Puerto_Rico%27s_governor_Rossell%C3%B3_resigns,_new_governor_sworn_in":
        "follow-up of the resignation article (kept); succession procedure",
    W + "U.S._House_formalizes_rules_for_Trump_impeachment_proceedings":
        "procedural; the impeachment story is covered by three other articles",
    W + "Suspect_in_Kenosha,_Wisconsin_protester_killings_released_from_jail_on_US$2_million_bond":
        "criminal case",
}


Gazetteer = tuple[re.Pattern, dict[str, str]]  # one regex over all names, name -> country code

# Phoenix synonyms that are mostly first names or other things in these texts.
AMBIGUOUS_PLACE_NAMES = {
    "male", "doris", "vladimir", "charlotte", "lawrence", "tara", "jordan", "chad", "waterloo",
    "ithaca", "abydos", "nile", "georgia", "marches", "dakota", "lincoln", "victoria", "columbus",
}


def _corpora_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    try:
        from newsevents.paths import corpora_dir

        c = corpora_dir()
        if c is not None:
            return c
    except ImportError:
        pass
    return REPO.parent / "shared" / "corpora"


DATELINE = re.compile(
    r"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    r"[A-Z][a-z]+ \d{1,2}, \d{4}[\s\xa0]*"
)


def strip_dateline(text: str) -> str:
    """Remove the leading Wikinews dateline paragraph ("Friday, January 4, 2019") and the blank
    lines after it; a text without a dateline is returned unchanged."""
    return DATELINE.sub("", text, count=1)


def slug_from_url(url: str, max_len: int = 40) -> str:
    """A short ASCII slug from the article name in the URL, cut at a word boundary."""
    name = unquote(url.rstrip("/").rsplit("/", 1)[-1])
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = name.replace("'", "")  # "Turkey's" -> "turkeys", not "turkey-s"
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    out = ""
    for w in words:
        cand = f"{out}-{w}" if out else w
        if len(cand) > max_len and out:
            break
        out = cand
    return out


def load_articles(corpora: Path) -> list[dict]:
    rows = []
    for name in CSV_FILES:
        path = corpora / "wikinews-articles" / name
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows.append(r)
    return rows


def country_gazetteer(corpora: Path) -> Gazetteer:
    """One regex over the country-level names of the Phoenix dictionary (root entries with a bare
    three-letter code and their ``+`` synonyms: names, demonyms, capitals, major cities)."""
    path = corpora / "actors-leaders" / "phoenix" / "Phoenix.Countries.actors.txt"
    names: dict[str, str] = {}
    block: list[str] = []  # names of the current entry (root line and its + synonyms)
    codes: set[str] = set()

    def flush() -> None:
        # Country-level entries carry one bare three-letter code (possibly date-restricted, and
        # possibly beside longer codes such as IRQOCC for a period of occupation).
        if len(codes) == 1:
            code = next(iter(codes))
            for raw in block:
                name = raw.strip("_").replace("_", " ").strip()
                # Short names without dots ("US", "UK" as words) are too ambiguous.
                if (len(name) < 4 and "." not in name) or name.lower() in AMBIGUOUS_PLACE_NAMES:
                    continue
                names.setdefault(name.lower(), code)

    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            if not line.strip():  # a blank line ends an entry; comment lines do not
                flush()
                block, codes = [], set()
            continue
        if body[0].isalpha():
            flush()
            block, codes = [], set()
        found = re.findall(r"\[([A-Z]{3,})[^\]]*\]", body)
        codes.update(c for c in found if len(c) == 3)
        name = re.sub(r"\[.*", "", body).strip().lstrip("+").strip()
        if name:
            block.append(name)
    flush()
    alts = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])", re.I)
    return pattern, names


def countries_in(text: str, gaz: Gazetteer) -> dict[str, int]:
    """Country code -> number of capitalised mentions of its names in the text."""
    pattern, names = gaz
    counts: dict[str, int] = {}
    for m in pattern.finditer(text):
        if m.group(1)[0].isupper():  # "male", "buffalo", "polish" are not places
            code = names[m.group(1).lower()]
            counts[code] = counts.get(code, 0) + 1
    return counts


def score_article(title: str, text: str, gaz: Gazetteer) -> tuple[int, dict]:
    counts = countries_in(text, gaz)
    codes = set(counts)
    low = text.lower()
    groups = {}
    for group, words in POLITICAL_KEYWORDS.items():
        hits = sum(len(re.findall(r"\b" + re.escape(w), low)) for w in words)
        groups[group] = min(hits, 3)
    tlow = title.lower()
    off = any(re.search(r"\b" + re.escape(w) + r"\b", tlow) for w in OFF_TOPIC_TITLE)
    score = 3 * min(len(codes), 5) + sum(groups.values()) - 8 * int(off)
    primary = min(counts, key=lambda c: (-counts[c], c)) if counts else "---"
    return score, {"countries": sorted(codes), "primary": primary, "groups": groups,
                   "off_topic": off}


def select(rows: list[dict], gaz: Gazetteer) -> tuple[list[dict], list[tuple]]:
    scored = []
    for r in rows:
        words = len(r["text"].split())
        s, detail = score_article(r["title"], r["text"], gaz)
        scored.append((s, r, words, detail))
    chosen = [t for t in scored if t[1]["url"] in INCLUDE]
    missing = set(INCLUDE) - {t[1]["url"] for t in chosen}
    if missing:
        raise SystemExit(f"INCLUDE URLs not in the corpus: {sorted(missing)}")
    per_country: dict[str, int] = {}
    for t in chosen:
        per_country[t[3]["primary"]] = per_country.get(t[3]["primary"], 0) + 1
    rest = [t for t in scored
            if t[1]["url"] not in INCLUDE and t[1]["url"] not in EXCLUDE and t[2] <= MAX_WORDS]
    rest.sort(key=lambda t: (-t[0], t[1]["date"], t[1]["url"]))
    for t in rest:
        if len(chosen) >= TARGET:
            break
        primary = t[3]["primary"]
        if per_country.get(primary, 0) >= MAX_PER_COUNTRY:
            continue
        per_country[primary] = per_country.get(primary, 0) + 1
        chosen.append(t)
    chosen_urls = {t[1]["url"] for t in chosen}
    return [t[1] for t in chosen], [(t[0], t[1], t[2], t[3], t[1]["url"] in chosen_urls)
                                    for t in scored]


def to_record(r: dict) -> dict:
    return {
        "id": slug_from_url(r["url"]),
        "url": r["url"],
        "title": r["title"],
        "published": r["date"],
        "outlet": "Wikinews",
        "license": "CC BY 2.5",
        "text": strip_dateline(r["text"]),
    }


def write_outputs(records: list[dict]) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with OUT_JSONL.open("w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    lines = [
        "# Wikinews demo corpus: attribution",
        "",
        "`wikinews-demo.jsonl` holds {} news articles from English Wikinews".format(len(records)),
        "(<https://en.wikinews.org/>), © Wikinews contributors, published under the",
        "[Creative Commons Attribution 2.5 Generic licence (CC BY 2.5)]"
        "(https://creativecommons.org/licenses/by/2.5/).",
        "",
        f"The texts were taken from the scrape in [{SOURCE_REPO}]"
        f"(https://github.com/{SOURCE_REPO}),",
        f"commit `{SOURCE_COMMIT}` (files `data/wikinews_2019.csv` and `data/wikinews_2020.csv`).",
        "",
        "Changes: the leading dateline paragraph (for example \"Friday, January 4, 2019\") was",
        "removed from each text; the date is kept in the `published` field. The texts are",
        "otherwise as in the scrape (including leftovers such as image captions and map legends),",
        "which may differ from the live pages. The articles were chosen by",
        "`scripts/build_demo_corpus.py`, which also generates this file. Article URLs below point",
        "to the original pages, where the authors are listed in each page's history.",
        "",
        "## Articles",
        "",
    ]
    for rec in records:
        lines.append(f"- {rec['published']}: [{rec['title']}]({rec['url']}) (`{rec['id']}`)")
    OUT_ATTRIBUTION.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Gold check

ROLE_RE = re.compile(r"^(?:[A-Z]{3}(?:[A-Z]{3})*|---)$")
ROOT_RE = re.compile(r"^(0[1-9]|1[0-9]|20)$")
MODALITIES = {
    "asserted", "reported", "alleged", "negated", "hypothetical", "intended", "historical",
}


def check_gold(gold_dir: Path = GOLD_DIR, demo: Path = OUT_JSONL) -> list[str]:
    """Problems in the gold files (empty list when all is well): anchors must occur exactly (and
    once) in the article text, codes must be well formed and consistent."""
    articles = {}
    with demo.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            articles[rec["id"]] = rec
    problems = []
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        problems.append(f"no gold files in {gold_dir}")
    for path in files:
        where = path.name
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            problems.append(f"{where}: invalid JSON: {e}")
            continue
        for key in ("article", "id", "url", "published", "annotator", "events"):
            if key not in gold:
                problems.append(f"{where}: missing {key!r}")
        art = articles.get(gold.get("id"))
        if art is None:
            problems.append(f"{where}: id {gold.get('id')!r} is not in {demo.name}")
            continue
        if (path.parent / gold.get("article", "")).resolve() != demo.resolve():
            problems.append(f"{where}: 'article' does not point at {demo.name}")
        if gold.get("url") != art["url"] or gold.get("published") != art["published"]:
            problems.append(f"{where}: url/published differ from the demo record")
        text = art["text"]
        seen = set()
        for i, ev in enumerate(gold.get("events", [])):
            at = f"{where} event {i}"
            for key in ("source", "target", "root", "code", "anchor", "core", "modality"):
                if key not in ev:
                    problems.append(f"{at}: missing {key!r}")
            src, tgt = ev.get("source", ""), ev.get("target", "")
            if not ROLE_RE.match(src) or src == "---":
                problems.append(f"{at}: bad source {src!r}")
            if not ROLE_RE.match(tgt):
                problems.append(f"{at}: bad target {tgt!r}")
            root, code = ev.get("root", ""), ev.get("code", "")
            if not ROOT_RE.match(root):
                problems.append(f"{at}: bad root {root!r}")
            if not re.fullmatch(r"\d{2,4}", code) or not code.startswith(root):
                problems.append(f"{at}: code {code!r} does not extend root {root!r}")
            if ev.get("modality") not in MODALITIES:
                problems.append(f"{at}: bad modality {ev.get('modality')!r}")
            if not isinstance(ev.get("core"), bool):
                problems.append(f"{at}: core must be true or false")
            anchor = ev.get("anchor", "")
            n = text.count(anchor)
            if not anchor or n == 0:
                problems.append(f"{at}: anchor not in text: {anchor!r}")
            elif n > 1:
                problems.append(f"{at}: anchor occurs {n} times: {anchor!r}")
            if not 5 <= len(anchor.split()) <= 12:
                problems.append(f"{at}: anchor should be 5-12 words: {anchor!r}")
            key = (src[:3], tgt[:3], root, anchor)
            if key in seen:
                problems.append(f"{at}: duplicate of an earlier event {key}")
            seen.add(key)
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", help="shared/corpora folder (default: as newsevents.paths)")
    ap.add_argument("--scores", action="store_true", help="print all scores, write nothing")
    ap.add_argument("--check-gold", action="store_true", help="validate the gold, write nothing")
    args = ap.parse_args(argv)

    if args.check_gold:
        problems = check_gold()
        for p in problems:
            print(p)
        n_files = len(list(GOLD_DIR.glob("*.json")))
        events = [e for p in GOLD_DIR.glob("*.json")
                  for e in json.loads(p.read_text(encoding="utf-8")).get("events", [])]
        core = sum(1 for e in events if e.get("core"))
        print(f"{n_files} gold files, {len(events)} events "
              f"({core} core, {len(events) - core} optional), "
              f"{len(problems)} problems")
        return 1 if problems else 0

    corpora = _corpora_dir(args.corpora)
    rows = load_articles(corpora)
    gaz = country_gazetteer(corpora)
    chosen, table = select(rows, gaz)
    if args.scores:
        for s, r, words, detail, sel in sorted(table, key=lambda t: -t[0]):
            flag = "*" if sel else " "
            inc = "I" if r["url"] in INCLUDE else ("X" if r["url"] in EXCLUDE else " ")
            countries = ",".join(detail["countries"])[:36]
            print(f"{flag}{inc} {s:3d} {words:5d} {r['date']} {detail['primary']} {countries:36s} "
                  f"{r['title'][:80]}")
        return 0
    records = sorted((to_record(r) for r in chosen), key=lambda d: (d["published"], d["id"]))
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate ids; lengthen the slugs")
    gold_ids = {json.loads(p.read_text(encoding="utf-8")).get("id")
                for p in GOLD_DIR.glob("*.json")}
    dropped = sorted(gold_ids - set(ids))
    if dropped:
        raise SystemExit(f"the selection drops articles that have gold events: {dropped}")
    write_outputs(records)
    years = {}
    for r in records:
        years[r["published"][:4]] = years.get(r["published"][:4], 0) + 1
    print(f"wrote {len(records)} articles to {OUT_JSONL.relative_to(REPO)} ({years})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
