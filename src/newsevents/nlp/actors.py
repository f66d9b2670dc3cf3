"""The actor component: find every stretch of text that names an actor and resolve it.

Sources of mentions, in the order they are tried on each noun phrase:
- named entities (after the KB entity ruler): people (leaders table, titles and appositions,
  names learned earlier in the article), organisations, countries, capitals used as governments;
- agent noun phrases ("the Japanese government", "LDP members", "prosecutors") with a country from
  a modifier, an "of" phrase, or the article's focus country for domestic bodies;
- subject pronouns (he, she, they) resolved to the most recent compatible actor.

Output: ``doc._.actor_spans`` (list of :class:`ActorSpan`, in text order) and ``doc._.actor_at``
(head token index -> ActorSpan). :func:`to_mentions` turns them into :class:`newsevents.model.Mention`.
"""

from __future__ import annotations

import bisect

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents.kb import KnowledgeBase, fold, kb_for, strip_name
from newsevents.model import Actor, Mention
from newsevents.nlp.places import LOCATIVE_PREPS, governing_preposition
from newsevents.nlp.sentences import sentence_of

# Speech verbs whose complement may refer back to the speaker ("X said it would ...").
SPEECH_VERBS = {
    "say", "tell", "state", "announce", "add", "claim", "declare", "insist", "warn", "confirm",
    "report", "write", "argue", "vow", "pledge", "promise", "threaten", "deny", "admit", "acknowledge",
    "explain", "note", "reply", "respond", "stress", "indicate", "suggest", "signal",
}

for _name in ("published", "actor_spans", "actor_at", "focus_country", "ent_at", "place_spans"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Syntactic positions in which a capital or seat of government stands for its government.
ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "poss", "agent", "dative", "appos", "attr", "iobj"}
ACTOR_PREPS = {"between", "with", "against", "to", "by", "of", "on", "for", "toward", "towards", "and"}
# Agent nouns whose country modifier is the topic, not the nationality ("a Japan analyst").
TOPICAL_ROLES = {"EDU", "MED"}
FORMER_WORDS = {"former", "ex", "ex-", "erstwhile", "onetime", "one-time", "retired", "late"}
DOMESTIC_ROLES = {"GOV", "COP", "JUD", "LEG", "MIL", "OPP", "PTY"}
# Bare plurals that in a national story mean that nation's body ("police said", "prosecutors")
FOCUS_PLURAL_ROLES = {"COP", "JUD", "LEG", "MIL"}
# Domestic groups that belong to the one country their sentence names.
SENTENCE_ROLES = {"OPP", "REB", "CVL", "LAB"}
# Nouns that take the code of the organisation they belong to ("LDP members", "officials of the UN").
MEMBER_NOUNS = {
    "member", "members", "official", "officials", "leader", "leaders", "head", "chief", "spokesman",
    "spokeswoman", "spokesperson", "representative", "representatives", "delegation", "envoy",
    "lawmaker", "lawmakers", "executive", "executives", "staff", "director", "chairman", "president",
    "inspector", "inspectors", "observer", "observers", "monitor", "monitors", "peacekeeper",
    "peacekeepers", "negotiator", "negotiators", "mission", "team", "campaign", "supporters",
    "supporter", "fighters", "fighter", "militants", "forces", "troops", "soldiers", "workers",
}
GEO_HEADS = {"gulf", "sea", "bay", "strait", "straits", "horn", "gulfs", "isle", "isles", "islands", "cape", "lake", "mount"}
GEO_TAILS = {
    "sea", "ocean", "peninsula", "gulf", "strait", "straits", "basin", "delta", "valley", "desert",
    "mountains", "river", "plateau", "lake", "highlands", "plain", "coast", "channel", "bay", "isthmus",
}
# Bodies that sit abroad: "the US embassy in Baghdad" is not Iraq's.
ABROAD_NOUNS = {"embassy", "consulate", "mission", "delegation", "office", "base", "bureau", "correspondent", "ambassador", "envoy"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
# Family name first in English news for these countries' people ("Kim Jong Un" -> "Kim").
FAMILY_FIRST = {"CHN", "PRK", "KOR", "TWN", "VNM", "HKG", "MAC", "SGP", "KHM", "MNG"}


@dataclass
class ActorSpan:
    """An actor mention in token coordinates (internal to the NLP and coding stages)."""

    start: int  # first token index
    end: int  # token index after the last
    head: int  # head token index
    actor: Actor
    via: str
    sentence: int
    plural: bool = False
    antecedent: tuple[int, int] | None = None  # token span of the mention it was resolved from
    person_key: str | None = None  # folded full name for people (alias learning)
    group: tuple[int, ...] = ()  # for "they": head token indices of all coordinated antecedents
    alternates: tuple[Actor, ...] = ()  # further actors the same words denote ("ministers of A and B")

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


PATRONYMIC = {"bin", "ibn", "bint", "ben"}
# Title nouns followed by a to/of/for phrase before the name ("Ambassador to Germany Richard Grenell").
TITLE_BEFORE_PREP = {"ambassador", "envoy", "emissary", "representative", "consul", "minister", "secretary", "commissioner", "delegate"}


def place_country(doc: Doc, i: int) -> str | None:
    """The country of the toponym covering token ``i``, when the places layer placed it."""
    for ps in doc._.place_spans or []:
        if ps.start <= i < ps.end and ps.place.country and ps.place.lat is not None:
            return ps.place.country
    return None


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity covering token ``i`` (a map built once per Doc by the actor component)."""
    ent_at = doc._.ent_at
    if ent_at is None:
        ent_at = doc._.ent_at = {j: e for e in doc.ents for j in range(e.start, e.end)}
    return ent_at.get(i)


def _sentence_index(doc: Doc) -> list[int]:
    return sentence_of(doc)


def _is_locative(tok: Token) -> bool:
    p = governing_preposition(tok)
    if p == "from" and _pp_head(tok).pos_ in ("NOUN", "PROPN"):
        return False  # "a claim from Berlin", "an explanation from Russia": the author, not a place
    return p in LOCATIVE_PREPS


def _pp_head(tok: Token) -> Token:
    """The word a prepositional phrase containing ``tok`` attaches to."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return t.head.head if t.dep_ == "pobj" else t.head


def _in_actor_position(tok: Token) -> bool:
    """Whether a place name sits where an actor would (subject, object, possessor, 'between X and Y')."""
    t = tok
    while t.dep_ in ("conj", "compound", "appos") and t.head.i != t.i:
        t = t.head
    if t.dep_ in ACTOR_DEPS:
        return True
    p = governing_preposition(t)
    if p == "from" and _pp_head(t).pos_ in ("NOUN", "PROPN"):
        return True
    return p is not None and p in ACTOR_PREPS


class ActorResolver:
    """spaCy component resolving actor mentions; see the module docstring."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    # -- entry point --------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        published: date | None = doc._.published
        sent_of = _sentence_index(doc)
        spans: list[ActorSpan] = []
        covered: set[int] = set()
        aliases: dict[str, ActorSpan] = {}  # folded surname/alias -> most recent person mention
        persons_seen: list[ActorSpan] = []

        all_ents = doc.ents
        doc._.ent_at = ent_at = {i: e for e in all_ents for i in range(e.start, e.end)}
        ents = [e for e in all_ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")]
        focus = self._focus_country(doc, ents)
        doc._.focus_country = focus

        # Pass 1: named entities, in text order (aliases are learned as we go).
        org_aliases: dict[str, ActorSpan] = {}  # "Mahan" after "Mahan Air"
        for ent in ents:
            short = fold(strip_name(ent.text))
            if short in org_aliases and len(ent) == 1 and not self.kb.countries.by_name(ent.text):
                ante = org_aliases[short]
                sp = ActorSpan(ent.start, ent.end, ent.root.i, ante.actor, "alias", sent_of[ent.start],
                               antecedent=(ante.start, ante.end))
            else:
                sp = self._resolve_entity(doc, ent, published, aliases, sent_of)
            if sp is None:
                continue
            spans.append(sp)
            covered.update(range(sp.start, sp.end))
            if sp.person_key:
                persons_seen.append(sp)
                self._learn_aliases(sp, aliases, doc)
            elif sp.actor.kind == "org" and ent.label_ in ("ORG", "FAC") and len(ent) >= 2:
                first = ent[0]
                if (first.text[:1].isupper() and len(first.text) >= 4 and not first.is_stop
                        and not self.kb.countries.by_demonym(first.text) and not self.kb.countries.by_name(first.text)
                        and self.kb.agents.lookup([first.lower_]) is None):
                    org_aliases[first.lower_] = sp

        # Pass 1b: a person's short name the NER missed ("Mohammed thanked Egypt" after
        # "Crown Prince Mohammed bin Salman"): a bare proper noun equal to a learned alias.
        for tok in doc:
            if (tok.pos_ != "PROPN" or tok.ent_type_ or tok.i in covered or not tok.text[:1].isupper()
                    or (tok.dep_ == "compound" and tok.head.i > tok.i)):
                continue
            ante = aliases.get(fold(tok.text))
            if ante is None or ante.end > tok.i or not ante.actor.code:
                continue
            sp = ActorSpan(tok.i, tok.i + 1, tok.i, ante.actor, "alias", sent_of[tok.i],
                           antecedent=(ante.start, ante.end), person_key=ante.person_key)
            spans.append(sp)
            covered.add(tok.i)

        # Pass 2: agent noun phrases not already part of an entity mention.
        ent_heads = {sp.head: sp for sp in spans}
        heads = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and (not t.ent_type_ or t.ent_type_ == "ORG")
                 and not (t.dep_ == "compound" and t.head.i > t.i)]  # only heads carry mentions
        # Phrases whose owner is named in a following "of/for/from" phrase ("the spokesperson for
        # the German government") wait until that phrase is resolved.
        later = [t for t in heads if any(c.dep_ == "prep" and c.lower_ in ("of", "for", "from") for c in t.children)]
        later_i = {t.i for t in later}
        for tok in [t for t in heads if t.i not in later_i] + later:
            if tok.i in covered:
                continue
            sp = self._resolve_agent(doc, tok, published, ent_heads, focus, sent_of)
            if sp is not None:
                spans.append(sp)
                covered.update(range(sp.start, sp.end))
                ent_heads[sp.head] = sp

        # Pass 3: pronouns.
        spans.sort(key=lambda s: s.start)
        for tok in doc:
            low = tok.lower_
            if tok.pos_ != "PRON" or (low not in PERSON_PRONOUNS and low not in PLURAL_PRONOUNS
                                      and low not in ("it", "its")):
                continue
            ante, group = self._speaker_subject(tok, spans)
            if ante is None and low not in ("it", "its"):
                ante, group = self._antecedent(tok, spans, sent_of)
            if ante is not None:
                if ante.via == "pronoun" and ante.antecedent is not None:
                    group = group or ante.group
                # kept in text order: a later "they" may take this one up ("They concluded ... They called on")
                bisect.insort(spans, ActorSpan(tok.i, tok.i + 1, tok.i, ante.actor, "pronoun", sent_of[tok.i],
                                               plural=ante.plural or len(group) > 1,
                                               antecedent=(ante.start, ante.end),
                                               person_key=ante.person_key, group=group),
                              key=lambda x: x.start)
        spans.sort(key=lambda s: (s.start, -s.end))
        doc._.actor_spans = spans
        actor_at = {sp.head: sp for sp in spans}
        for sp in spans:
            # a title the parser made the head of the phrase ("US Ambassador to Germany Richard
            # Grenell alleged": "Ambassador" is the subject) stands for the whole mention
            if sp.end - sp.start > 1:
                root = doc[sp.start:sp.end].root.i
                if root != sp.head and root not in actor_at:
                    actor_at[root] = sp
        doc._.actor_at = actor_at
        return doc

    # -- helpers ------------------------------------------------------------------------------
    def _focus_country(self, doc: Doc, ents: list[Span]) -> str | None:
        """The country the article is mostly about: most frequent country among GPE/NORP names."""
        counts: Counter[str] = Counter()
        for e in ents:
            if e.label_ not in ("GPE", "NORP"):
                continue
            c = self.kb.countries.by_name(strip_name(e.text)) or self.kb.countries.by_demonym(e.text)
            if c is None:
                c = self.kb.countries.by_capital(strip_name(e.text))
            if c is not None:
                counts[c.iso3] += 1
        if not counts:
            return None
        (top, n), *rest = counts.most_common(2) + [(None, 0)]
        return top if n >= 2 and n > (rest[0][1] if rest else 0) else None

    @staticmethod
    def _in_geographic_name(doc: Doc, ent: Span) -> bool:
        """"Gulf of Oman", "South China Sea", "Korean Peninsula": a country word inside the name
        of a sea, gulf or landform is neither an actor nor that country."""
        before = doc[max(0, ent.start - 2): ent.start]
        if len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in GEO_HEADS:
            return True
        if ent.end < len(doc) and doc[ent.end].lower_ in GEO_TAILS and doc[ent.end].text[:1].isupper():
            return True
        return False

    def _resolve_entity(self, doc, ent: Span, on, aliases, sent_of) -> ActorSpan | None:
        label = ent.label_
        if label in ("GPE", "NORP", "LOC") and self._in_geographic_name(doc, ent):
            return None
        text = ent.text
        name = strip_name(text)
        head = ent.root
        si = sent_of[ent.start]
        kb = self.kb
        if label in ("GPE", "LOC", "FAC"):
            country = kb.countries.by_name(name)
            if country is not None:
                if _is_locative(head):
                    return None  # "in Japan": a place, handled by the places layer
                return ActorSpan(ent.start, ent.end, head.i,
                                 kb.country_actor(country.iso3), "country", si)
            cap = kb.countries.by_capital(name)
            if cap is not None:
                if _in_actor_position(head) and not _is_locative(head):
                    return ActorSpan(ent.start, ent.end, head.i,
                                     kb.country_actor(cap.iso3, "GOV", name=name), "metonym", si)
                return None
            seat = kb.countries.by_seat(text)
            if seat is not None:
                c, role = seat
                return ActorSpan(ent.start, ent.end, head.i, kb.country_actor(c.iso3, role, name=name),
                                 "seat", si)
            actor = kb.resolve_name(text, on, "ORG")
            if actor is not None and actor.kind != "country":
                return ActorSpan(ent.start, ent.end, head.i, actor, "kb", si)
            if label == "FAC" and not _is_locative(head):
                # the model often tags company names as facilities ("Iranian airline Mahan Air")
                return self._described_org(doc, ent, on, si)
            return None
        if label == "NORP":
            country = kb.countries.by_demonym(text)
            if country is None and len(ent) >= 2:
                # "Iraqi Kurds", "Palestinian Christians": a country's people named by group
                country = kb.countries.by_demonym(ent[0].text)
            if country is None:
                actor = kb.resolve_name(text, on, "ORG")
                if actor is not None and actor.kind == "org":
                    return ActorSpan(ent.start, ent.end, head.i, actor, "kb", si)
                return None
            first = head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head  # "Hungarian and Romanian officials": Romanian modifies too
            if first.dep_ in ("amod", "compound", "nmod", "poss") and first.head.pos_ in ("NOUN", "PROPN"):
                return None  # a modifier: the noun phrase it modifies is the mention (pass 2)
            return ActorSpan(ent.start, ent.end, head.i, kb.country_actor(country.iso3), "demonym", si,
                             plural=text.endswith("s"))
        if label == "ORG":
            seat = kb.countries.by_seat(text)
            if seat is not None:
                c, role = seat
                return ActorSpan(ent.start, ent.end, head.i, kb.country_actor(c.iso3, role, name=name),
                                 "seat", si)
            alias = aliases.get(fold(name))
            if alias is not None and len(ent) <= 2:
                return replace(alias, start=ent.start, end=ent.end, head=head.i, via="alias",
                               sentence=si, antecedent=(alias.start, alias.end))
            actor = kb.resolve_name(text, on, "ORG")
            if (actor is not None and actor.role == "BUS" and ent.start > 0 and doc[ent.start - 1].lower_ == "the"
                    and not text.lower().startswith("the ")):
                actor = None  # "the Amazon" is the forest, not the company
            if actor is None:
                actor = self._org_by_structure(ent, on)
            if actor is None:
                person = kb.leaders.lookup(name, on) if len(ent) <= 3 else None
                if person is not None:
                    return self._person_span(doc, ent, on, aliases, sent_of)
                return self._described_org(doc, ent, on, si)
            if actor.kind == "country":
                if _is_locative(head):
                    return None
                return ActorSpan(ent.start, ent.end, head.i, actor, "country", si)
            return ActorSpan(ent.start, ent.end, head.i, actor, "kb", si)
        if label == "PERSON":
            return self._person_span(doc, ent, on, aliases, sent_of)
        return None

    def _described_org(self, doc: Doc, ent: Span, on, si: int) -> ActorSpan | None:
        """An organisation described where it is named: "Iranian airline Mahan Air"."""
        title = self._title_tokens(doc, ent)
        if not title:
            return None
        country, role, _ = self._describe(doc, title, on)
        if not country:
            return None
        actor = Actor(code=country + (role or ""), name=strip_name(ent.text), country=country, role=role,
                      kind="org", source="description")
        return ActorSpan(title[0].i, ent.end, ent.root.i, actor, "title", si)

    def _org_by_structure(self, ent: Span, on) -> Actor | None:
        """An organisation not in the tables: role from its head noun, country from a name in it."""
        words = [t for t in ent if not t.is_punct]
        if not words:
            return None
        role = self.kb.agents.lookup([t.lower_ for t in words], [t.lemma_.lower() for t in words])
        if role is None or role.kind == "person":
            return None
        country = None
        for t in ent:
            c = self.kb.countries.by_name(t.text) or self.kb.countries.by_demonym(t.text)
            if c is not None:
                country = c.iso3
                break
        if country is None:
            # multiword country names inside the organisation name ("Bank of South Korea")
            for n in range(len(words), 1, -1):
                for i in range(0, len(words) - n + 1):
                    c = self.kb.countries.by_name(" ".join(t.text for t in words[i:i + n]))
                    if c is not None:
                        country = c.iso3
                        break
                if country:
                    break
        if country is None:
            return None
        r = role.primary_role
        return Actor(code=country + r, name=strip_name(ent.text), country=country, role=r, kind="org",
                     source="structure")

    def _title_tokens(self, doc: Doc, ent: Span) -> list[Token]:
        """Title words written before a name: "Japanese Prime Minister" in "Japanese Prime Minister Fumio Kishida"."""
        toks: list[Token] = []
        i = ent.start - 1
        while i >= 0:
            t = doc[i]
            if t.is_punct and t.text not in ("-",):
                break
            if t.pos_ in ("DET",) or t.dep_ in ("det", "case"):
                break
            if (t.pos_ == "ADP" and t.lower_ in ("to", "of", "for") and toks and i > 0
                    and doc[i - 1].lower_ in TITLE_BEFORE_PREP):
                # "US Ambassador to Germany Richard Grenell", however the parser hung it
                toks[0:0] = [doc[i - 1], t]
                i -= 2
                continue
            if t.pos_ == "ADP" and t.lower_ in ("to", "of", "for") and t.dep_ == "prep" and toks:
                pass  # "Ambassador to Germany", "Minister of Defence": the phrase belongs to the title
            elif t.ent_type_ == "PERSON" or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "CCONJ", "SCONJ", "NUM"):
                break
            # keep going only while the token hangs on the name (compound/amod chain)
            h = t
            inside = False
            for _ in range(6):
                if ent.start <= h.i < ent.end or h.i in {x.i for x in toks}:
                    inside = True
                    break
                if h.head.i == h.i:
                    break
                h = h.head
            if not inside:
                break
            toks.insert(0, t)
            i -= 1
        return toks

    def _appositive(self, ent: Span) -> Token | None:
        """The head of an apposition describing the person ("X, a former CIA official")."""
        for child in ent.root.children:
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.i > ent.end - 1:
                return child
        return None

    def _describe_head(self, doc: Doc, head: Token, on, ent_heads: dict | None = None) -> tuple[str | None, str | None, bool]:
        """Country, role and "former" from one describing noun and its modifiers
        ("former CIA official", "Japan analyst at the Center for Strategic and International Studies")."""
        kb = self.kb
        mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "advmod")]
        former = any(t.lower_ in FORMER_WORDS for m in mods for t in m.subtree) or head.lower_ in FORMER_WORDS
        nouns = [t for t in mods if t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.ent_type_] + [head]
        role_entry = kb.agents.lookup([t.lower_ for t in nouns], [t.lemma_.lower() for t in nouns])
        role = role_entry.primary_role if role_entry else None
        country = None
        org_role = None
        # modifiers first ("Japanese", "CIA"), then "at/of/with ORG" attachments
        cands = [t for m in mods for t in m.subtree if t.ent_type_]
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "with", "for", "from", "in"):
                for p in prep.children:
                    if p.dep_ == "pobj":
                        cands += [t for t in p.subtree if t.ent_type_]
        for t in cands:
            ent = entity_at(doc, t.i)
            if ent is None:
                continue
            if ent.label_ == "NORP":
                c = kb.countries.by_demonym(ent.text)
                if c is not None:
                    country = c.iso3
                    break
            elif ent.label_ in ("GPE", "LOC"):
                c = kb.countries.by_name(strip_name(ent.text))
                if c is None:
                    continue
                if role in TOPICAL_ROLES and t.dep_ == "compound" and t.head.i == head.i:
                    continue  # "a Japan analyst": the topic, not the nationality
                if governing_preposition(ent.root) in LOCATIVE_PREPS and ent.root.head.head.i == head.i:
                    country = c.iso3  # "an official in Japan"
                    break
                country = c.iso3
                break
            elif ent.label_ in ("ORG", "FAC"):
                a = kb.resolve_name(ent.text, on, "ORG")
                if a is not None and a.country:
                    country = a.country
                    org_role = a.role
                    break
        if country and role in (None, "GOV") and org_role and org_role not in ("IGO",):
            role = org_role if role is None or org_role in ("SPY", "MIL", "COP", "JUD", "LEG", "PTY", "MED", "EDU", "BUS", "NGO") else role
        if former and role:
            role = "ELI"
        return country, role, former

    def _describe(self, doc: Doc, words: list[Token], on) -> tuple[str | None, str | None, bool]:
        """Country and role from title tokens written before a name ("Japanese Prime Minister")."""
        if not words:
            return None, None, False
        # the title's head is the word the name hangs on ("Ambassador" in "US Ambassador to Germany")
        # a country after "to" is where an envoy is sent, not whose envoy it is
        dest = {x.i for t in words if t.pos_ == "ADP" and t.lower_ == "to" for x in t.subtree}
        dest |= {t.i for t in words if t.pos_ == "ADP" and t.lower_ == "to"}
        dest |= {t.i for k, t in enumerate(words) if k and words[k - 1].lower_ == "to" and words[k - 1].pos_ == "ADP"}
        words = [t for t in words if t.i not in dest] or words
        span = {t.i for t in words}
        head = next((t for t in reversed(words) if t.head.i not in span), words[-1])
        country, role, former = self._describe_head(doc, head, on)
        if country is None:
            for t in words:
                if t.ent_type_ == "NORP":
                    c = self.kb.countries.by_demonym(t.text)
                    if c:
                        country = c.iso3
                        break
                if t.ent_type_ == "GPE":
                    c = self.kb.countries.by_name(t.text)
                    if c:
                        country = c.iso3
                        break
        if role is None:
            nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN") and not t.ent_type_]
            if nouns:
                r = self.kb.agents.lookup([t.lower_ for t in nouns], [t.lemma_.lower() for t in nouns])
                role = r.primary_role if r else None
        if former and role:
            role = "ELI"
        return country, role, former

    def _person_span(self, doc, ent: Span, on, aliases, sent_of) -> ActorSpan | None:
        kb = self.kb
        si = sent_of[ent.start]
        name = strip_name(ent.text)
        key = fold(name)
        title = self._title_tokens(doc, ent)
        start = title[0].i if title else ent.start
        # A person already met in this article under a fuller name: "Kishida", "Kim".
        single = len(name.split()) == 1
        if key in aliases and (single or aliases[key].person_key == key):
            ante = aliases[key]
            return ActorSpan(start, ent.end, ent.root.i, ante.actor, "alias", si,
                             antecedent=(ante.start, ante.end), person_key=ante.person_key)
        actor = kb.resolve_name(name, on, "PERSON")
        described_country = described_role = None
        if title:
            described_country, described_role, _ = self._describe(doc, title, on)
        appos = self._appositive(ent)
        if appos is not None and described_country is None:
            for h in [appos] + [c for c in appos.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]:
                c_, r_, _ = self._describe_head(doc, h, on)
                if c_ is not None:
                    described_country, described_role = c_, r_ or described_role
                    break
                described_role = described_role or r_
        if actor is None and described_country is None and described_role in ("GOV", "JUD", "LEG", "MIL", "COP") \
                and title and doc._.focus_country:
            # "Judge Alejandro Rivera", "President X" in a story about one country: that country's
            described_country = doc._.focus_country
        if actor is None or (actor.source == "phoenix" and described_country):
            if described_country is None:
                # unknown person: kept for pronouns and aliases, not an actor with a code
                return ActorSpan(start, ent.end, ent.root.i,
                                 Actor(code="", name=name, kind="person", source="unresolved"),
                                 "person", si, person_key=key)
            r = described_role or None
            actor = Actor(code=described_country + (r or ""), name=name, country=described_country,
                          role=r, kind="person", source="description")
            via = "title" if title else "appos"
        else:
            via = "kb"
        return ActorSpan(start, ent.end, ent.root.i, actor, via, si, person_key=key)

    def _learn_aliases(self, sp: ActorSpan, aliases: dict[str, ActorSpan], doc: Doc) -> None:
        """Register the full name and its short forms ("Fumio Kishida" -> "Kishida")."""
        key = sp.person_key or ""
        parts = key.split()
        aliases[key] = sp
        if len(parts) >= 2:
            # Western order gives the surname last; East Asian names are written either way in
            # English news ("Kim Jong Un" -> Kim, "Carrie Lam" -> Lam), so both ends count there.
            if len(parts[-1]) > 2:
                aliases[parts[-1]] = sp
            if sp.actor.country in FAMILY_FIRST:
                aliases[parts[0]] = sp
            if any(p in PATRONYMIC for p in parts[1:-1]) and len(parts[0]) > 2:
                # "Mohammad bin Salman" is "Mohammad" later on, never "Salman" (his father's name)
                aliases[parts[0]] = sp
                if aliases.get(parts[-1]) is sp:
                    del aliases[parts[-1]]

    def _resolve_agent(self, doc, tok: Token, on, ent_heads, focus, sent_of) -> ActorSpan | None:
        """An agent noun phrase headed by ``tok``: role from the noun, country from its modifiers."""
        kb = self.kb
        left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod")]
        words = [t for t in doc[(left[0].left_edge.i if left else tok.i): tok.i + 1] if not t.is_punct]
        # title words and nouns that are part of the phrase ("prime minister", "government officials")
        nounish = [t for t in words if t.pos_ in ("NOUN", "PROPN", "ADJ") and (not t.ent_type_ or t.i == tok.i)]
        if not nounish or nounish[-1].i != tok.i:
            return None
        role = kb.agents.lookup([t.lower_ for t in nounish], [t.lemma_.lower() for t in nounish])
        member_org: ActorSpan | None = None
        country: str | None = None
        former = any(t.lower_ in FORMER_WORDS for t in words)
        if role is None and tok.lower_ not in MEMBER_NOUNS and tok.lemma_.lower() not in MEMBER_NOUNS:
            return None
        # Country or organisation from modifiers: "Japanese officials", "Japan's government", "LDP members",
        # "ambassadors of Arnor, Osgiliath and Gondor", "lawmakers in Fornost and Gondor".
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
        preps = ("of", "from", "for") if role is not None else ("of", "for")
        located = []  # "lawmakers in Fornost": where they are, used when nothing says whose they are
        for p in tok.rights:
            if p.dep_ == "prep" and p.lower_ in preps:
                mods += [c for c in p.children if c.dep_ == "pobj"]
            elif p.dep_ == "prep" and p.lower_ == "in" and role is not None and tok.lemma_.lower() not in ABROAD_NOUNS:
                located += [c for c in p.children if c.dep_ == "pobj"]
        if not any(m.ent_type_ in ("NORP", "GPE", "ORG") for m in mods):
            mods += located
        mods = [x for m in mods for x in [m] + [c for c in m.subtree if c.dep_ == "conj" and c.head.i >= m.i]]
        countries: list[str] = []
        for m in mods:
            sp = ent_heads.get(m.i)
            if sp is None:
                # a modifier may itself be a multiword entity whose head is elsewhere
                for e_sp in ent_heads.values():
                    if e_sp.start <= m.i < e_sp.end:
                        sp = e_sp
                        break
            if sp is not None and sp.actor.code:
                if sp.actor.kind == "country" and role is not None:
                    if role.primary_role in TOPICAL_ROLES and m.dep_ == "compound":
                        continue
                    if sp.actor.country not in countries:
                        countries.append(sp.actor.country)
                    continue
                if (sp.actor.kind in ("org", "user", "person") or sp.via in ("metonym", "seat")) and member_org is None and not countries:
                    member_org = sp
                continue
            c = None
            if m.ent_type_ in ("NORP", "GPE"):
                # the whole entity ("North Korean"), not just the token the parser made a modifier
                ent = entity_at(doc, m.i)
                etext = ent.text if ent is not None else m.text
                if m.ent_type_ == "NORP":
                    c = kb.countries.by_demonym(etext) or kb.countries.by_demonym(m.text)
                else:
                    # "officials of Japan", and "ministers in Cairo" (a capital locates them)
                    c = kb.countries.by_name(strip_name(etext)) or kb.countries.by_capital(strip_name(etext))
                    if c is None:
                        # a province or city the places layer resolved ("the government of Sindh")
                        c = kb.countries.get(place_country(doc, m.i) or "")
            if c is not None and not (role and role.primary_role in TOPICAL_ROLES and m.dep_ == "compound"):
                if c.iso3 not in countries:
                    countries.append(c.iso3)
        country = countries[0] if countries else None
        start = words[0].i
        while start < tok.i and doc[start].dep_ == "det":
            start += 1
        si = sent_of[tok.i]
        plural = tok.tag_ in ("NNS", "NNPS")
        if member_org is not None:
            a = member_org.actor
            if a.kind == "user" and role is not None and len(a.code) == 3:
                # a user-dictionary country code plus this agent's role ("Arnorian police" -> ARNCOP)
                r = "ELI" if former else (role.role if role.source == "user" else role.primary_role)
                actor = Actor(code=a.code + r, name=None, country=a.code, role=r[:3], kind="group", source="agent")
                return ActorSpan(start, tok.i + 1, tok.i, actor, "agent", si, plural=plural)
            if a.kind == "person":
                # "the Kishida administration", "the Kim regime": the person's country and this role
                if not a.country:
                    return None
                r = role.primary_role if role else a.role
                actor = Actor(code=a.country + (r or ""), name=None, country=a.country, role=r,
                              kind="group", source="agent")
            else:
                actor = a
            return ActorSpan(start, tok.i + 1, tok.i, actor, "member", si, plural=plural)
        if role is None:
            return None
        r = "ELI" if former else role.primary_role
        if country is None and self._definite(tok) and not plural and (role.kind == "body" or role.source == "phoenix"):
            # "the airline", "the ministry": the organisation of that kind named just before
            ante = self._last_org(ent_heads, tok, r, sent_of)
            if ante is not None:
                return ActorSpan(start, tok.i + 1, tok.i, ante.actor, "anaphor", si,
                                 antecedent=(ante.start, ante.end))
        if country is None:
            if role.kind == "person" and not plural and r == "GOV" and focus:
                # "the prime minister", "the president": the holder of that office in the focus country
                return None if not self._definite(tok) else ActorSpan(
                    start, tok.i + 1, tok.i, kb.country_actor(focus, r), "focus", si)
            bare_plural = plural and not any(c.dep_ in ("amod", "det", "nummod") for c in tok.children) and r in FOCUS_PLURAL_ROLES
            if focus and r in DOMESTIC_ROLES and (self._definite(tok) or bare_plural):
                return ActorSpan(start, tok.i + 1, tok.i, kb.country_actor(focus, r), "focus", si,
                                 plural=plural)
            here = self._sentence_country(doc, tok) if r in SENTENCE_ROLES else None
            if here:
                # "Egyptian police opened fire on demonstrators", "people blocked streets in Hong
                # Kong": domestic groups belong to the one country the sentence names
                return ActorSpan(start, tok.i + 1, tok.i, kb.country_actor(here, r), "sentence", si,
                                 plural=plural)
            return None
        alternates = tuple(kb.country_actor(c, r) for c in countries[1:])
        return ActorSpan(start, tok.i + 1, tok.i, kb.country_actor(country, r), "agent", si, plural=plural,
                         alternates=alternates)

    def _sentence_country(self, doc: Doc, tok: Token) -> str | None:
        """The only country a sentence names (by name, demonym, capital or a resolved place)."""
        sent = tok.sent
        cache = doc.user_data.setdefault("newsevents_sentence_country", {})
        if sent.start in cache:
            return cache[sent.start]
        if "places" not in cache:
            by_sent: dict[int, set[str]] = {}
            for ps in doc._.place_spans or []:
                if ps.place.country and len(ps.place.country) == 3:
                    by_sent.setdefault(doc[ps.start].sent.start, set()).add(ps.place.country)
            cache["places"] = by_sent
        cache[sent.start] = value = self._sentence_country_uncached(sent, cache["places"].get(sent.start, ()))
        return value

    def _sentence_country_uncached(self, sent: Span, place_countries) -> str | None:
        found: set[str] = set(place_countries)
        for e in sent.ents:
            if e.label_ not in ("GPE", "NORP", "LOC"):
                continue
            name = strip_name(e.text)
            c = (self.kb.countries.by_name(name) or self.kb.countries.by_demonym(e.text)
                 or self.kb.countries.by_capital(name))
            if c is not None:
                found.add(c.iso3)
        return next(iter(found)) if len(found) == 1 else None

    @staticmethod
    def _last_org(ent_heads: dict, tok: Token, role: str, sent_of: list[int]) -> ActorSpan | None:
        best = None
        for sp in ent_heads.values():
            if sp.end <= tok.i and sent_of[tok.i] - sp.sentence <= 3 and sp.actor.kind != "person" \
                    and sp.via not in ("focus", "pronoun") and (sp.actor.role or "")[:3] == role \
                    and (best is None or sp.start > best.start):
                best = sp
        return best

    @staticmethod
    def _definite(tok: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in tok.children) or any(
            c.dep_ == "poss" for c in tok.children
        )

    @staticmethod
    def _speaker_subject(tok: Token, spans: list[ActorSpan]) -> tuple[ActorSpan | None, tuple[int, ...]]:
        """"The SDF announced it had entered ...", "Iran said they would ...": a subject pronoun in
        what a speaker says about itself is the speaker."""
        if tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return None, ()
        t = tok.head
        for _ in range(2):
            if t.dep_ in ("ccomp",) and t.head.lemma_.lower() in SPEECH_VERBS:
                speech = t.head
                subj = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is None:
                    return None, ()
                sp = next((x for x in spans if x.head == subj.i and x.actor.code), None)
                if sp is None:
                    return None, ()
                low = tok.lower_
                if low in ("it", "its") and sp.actor.kind in ("org", "country", "user", "group"):
                    return sp, (sp.head,)
                if low in PERSON_PRONOUNS and sp.actor.kind == "person":
                    return sp, (sp.head,)
                if low in PLURAL_PRONOUNS and (sp.plural or sp.actor.kind in ("org", "country")):
                    return sp, (sp.head,)
                return None, ()
            if t.head.i == t.i or t.dep_ != "xcomp":
                break  # only the pronoun's own clause (or a complement of it) speaks for the speaker
            t = t.head
        return None, ()

    def _antecedent(self, tok: Token, spans: list[ActorSpan], sent_of: list[int]) -> tuple[ActorSpan | None, tuple[int, ...]]:
        """Most recent compatible mention before a pronoun, within the last two sentences.

        he/she: the last person. they: the last plural mention or coordinated group of actors
        ("Japan and South Korea ... as they back"); the group's heads are returned too.
        """
        low = tok.lower_
        si = sent_of[tok.i]
        want_person = low in PERSON_PRONOUNS
        by_head = {sp.head: sp for sp in spans if sp.via != "pronoun"}
        doc = tok.doc
        best: ActorSpan | None = None
        best_key: tuple = ()
        group: tuple[int, ...] = ()
        for sp in spans:
            if sp.end > tok.i:
                break
            if si - sp.sentence > 2:
                continue
            if want_person:
                if sp.actor.kind == "person" and sp.person_key and sp.via != "pronoun":
                    # the latest sentence first, and in it a subject before a later non-subject
                    # ("Kishida stated that ... a summit with Kim. He told parliament": Kishida)
                    key = (sp.sentence, doc[sp.head].dep_ in ("nsubj", "nsubjpass"), sp.start)
                    if best is None or key > best_key:
                        best, group, best_key = sp, (sp.head,), key
                continue
            head = doc[sp.head]
            if head.dep_ == "conj":
                continue  # counted with the first conjunct
            if head.dep_ not in ("nsubj", "nsubjpass"):
                continue  # "they" takes up an earlier subject, not a name buried in a phrase
            if sp.via == "pronoun":
                if sp.plural:
                    best, group = sp, sp.group  # a chain of "they"
                continue
            members = [sp.head] + [c.i for c in head.subtree if c.dep_ == "conj" and c.i in by_head and c.i < tok.i]
            if sp.plural or len(members) > 1:
                best, group = sp, tuple(members)
        if best is None or not best.actor.code:
            return None, ()
        return best, group

@Language.factory(
    "newsevents_actors",
    requires=["doc.ents", "token.dep", "token.pos", "token.lemma"],
    assigns=["doc._.actor_spans", "doc._.actor_at", "doc._.focus_country"],
    default_config={"user_dictionaries": [], "agent_dictionaries": [], "bundled": True},
)
def make_actor_resolver(nlp: Language, name: str, user_dictionaries: list[str],
                        agent_dictionaries: list[str], bundled: bool) -> ActorResolver:
    """Create the actor component.

    user_dictionaries: paths of user actor dictionaries (CSV or PETRARCH format) consulted before
        the bundled tables.
    agent_dictionaries: PETRARCH-format agent dictionaries consulted before the bundled ones.
    bundled: False uses only the user dictionaries.
    Set ``doc._.published`` (a ``datetime.date``) before the pipeline runs so people are resolved
    for the article's date; without it the most recent role is used.
    """
    return ActorResolver(kb_for(tuple(user_dictionaries), tuple(agent_dictionaries), bundled))


def to_mentions(doc: Doc, spans: list[ActorSpan] | None = None) -> list[Mention]:
    """ActorSpans as :class:`Mention` objects with character offsets (only resolved actors)."""
    out = []
    for sp in spans if spans is not None else (doc._.actor_spans or []):
        m = to_mention(doc, sp)
        if m is not None:
            out.append(m)
    return out


def to_mention(doc: Doc, sp: ActorSpan) -> Mention | None:
    if not sp.actor.code:
        return None
    span = doc[sp.start : sp.end]
    ante = None
    if sp.antecedent:
        a = doc[sp.antecedent[0] : sp.antecedent[1]]
        ante = (a.start_char, a.end_char)
    return Mention(
        text=span.text, start=span.start_char, end=span.end_char, sentence=sp.sentence,
        actor=sp.actor, head=doc[sp.head].idx, via=sp.via, antecedent=ante,
    )
