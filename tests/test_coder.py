"""Clause coding end to end on short texts: structure, participants, modality, attribution, ids."""

from conftest import triples


def find(events, src, tgt, root=None):
    out = [e for e in events if e.source.actor.code[:3] == src and e.target.actor.code[:3] == tgt
           and (root is None or e.root == root)]
    return out


def test_active_clause_with_object(code):
    events = code("The United States imposed sanctions on Iran on Tuesday.")
    (e,) = find(events, "USA", "IRN", "16")
    assert e.date == "2024-02-13" and e.date_precision == "day"
    assert e.modality == "asserted"


def test_passive_with_and_without_agent(code):
    ev = code("Two Greek journalists were arrested by Turkish police.", "2021-05-03")
    assert any(e.source.actor.code == "TURCOP" and e.target.actor.country == "GRC" and e.root == "17" for e in ev)
    ev = code("Several Japanese opposition lawmakers were indicted last month.")
    (e,) = [e for e in ev if e.root == "17"]
    assert e.source.actor.code == "JPN" and e.target.actor.country == "JPN"
    assert e.date == "2024-01"


def test_event_nouns_with_participants(code):
    ev = code("The summit between Japan and South Korea ended without an agreement.")
    assert ("JPN", "KOR", "04") in triples(ev)
    ev = code("Russia's invasion of Ukraine drew condemnation.")
    assert ("RUS", "UKR", "19") in triples(ev)


def test_coordinated_actors_each_get_an_event(code):
    ev = code("China condemned the United States, Japan and South Korea.")
    assert {("CHN", "USA", "11"), ("CHN", "JPN", "11"), ("CHN", "KOR", "11")} <= triples(ev)


def test_control_verb_gives_intent_not_two_events(code):
    ev = code("Tokyo wants to hold talks with Pyongyang.")
    jp = find(ev, "JPN", "PRK")
    assert [e.cameo for e in jp] == ["036"]


def test_negation(code):
    (e,) = find(code("Tokyo had not informed Washington about the talks."), "JPN", "USA")
    assert e.modality == "negated"


def test_hypothetical(code):
    (e,) = find(code("Analysts fear that China could attack Taiwan."), "CHN", "TWN")
    assert e.modality == "hypothetical"


def test_reported_with_attribution(code):
    (e,) = find(code("The Financial Times reported that Japan had met North Korean officials in Mongolia."), "JPN", "PRK")
    assert e.modality == "reported" and e.attributed_to == "Financial Times"
    (e,) = find(code("Japan had met North Korean officials, according to Reuters."), "JPN", "PRK")
    assert e.attributed_to == "Reuters"


def test_alleged(code):
    (e,) = find(code("Iran reportedly seized a British tanker."), "IRN", "GBR")
    assert e.modality == "alleged"


def test_historical_event_and_people_on_its_date(code):
    ev = code("In 2002, Prime Minister Junichiro Koizumi met Kim Jong Il in Pyongyang.")
    (e,) = find(ev, "JPN", "PRK", "04")
    assert e.modality == "historical" and e.date == "2002"
    assert e.source.actor.code == "JPNGOV" and e.target.actor.code == "PRKGOV"


def test_speaker_announcing_own_conflict_action_is_a_threat(code):
    ev = code("Donald Trump said he would impose new tariffs on China if elected.")
    (e,) = find(ev, "USA", "CHN")
    assert e.root == "13" and e.modality != "asserted" and e.attributed_to == "Donald Trump"


def test_offsets_point_into_the_text_and_ids_are_stable(pipeline):
    from newsevents.pipeline import make_article

    art = make_article("Israel struck Hamas positions in Gaza. Egypt urged Israel to stop.", "2023-10-20")
    a1 = pipeline.annotate(art)
    a2 = pipeline.annotate(art)
    assert [e.id for e in a1.events] == [e.id for e in a2.events] and a1.events
    assert len({e.id for e in a1.events}) == len(a1.events)
    for e in a1.events:
        for span in (e.evidence, e.predicate, e.source, e.target):
            assert art.text[span.start:span.end] == span.text
        assert e.evidence.start <= e.predicate.start < e.predicate.end <= e.evidence.end


def test_event_json_contract(code):
    (e,) = find(code("Japan protested to China over the detention of a Japanese citizen."), "JPN", "CHN")
    d = e.to_dict()
    assert set(d) >= {"id", "article_id", "sentence", "evidence", "source", "target", "predicate", "cameo",
                      "cameo_label", "root", "plover", "quad_class", "goldstein", "date", "date_precision",
                      "location", "modality", "attributed_to", "confidence"}
    assert set(d["source"]) == {"text", "name", "code", "country", "role", "start", "end"}
    assert d["root"] == d["cameo"][:2] and d["quad_class"] in (1, 2, 3, 4) and -10 <= d["goldstein"] <= 10
    assert set(d["plover"]) == {"type", "mode"} and 0 <= d["confidence"] <= 1


def test_no_event_without_actors(code):
    assert code("The weather was cold and the markets were calm on Monday.") == []


def test_reaction_to_an_act_reported_earlier_targets_its_author(code):
    text = ("Turkey launched a military offensive against Syrian government forces on Monday. "
            "The operation was condemned by France. Germany criticised the move as well.")
    ev = code(text, "2022-03-01")
    assert {("FRA", "TUR", "11"), ("DEU", "TUR", "11")} <= triples(ev)
    # without an earlier act there is nothing to refer back to
    assert not [e for e in code("France condemned the move.", "2022-03-01") if e.root == "11"]


def test_passive_feeling_verb_makes_the_subject_react(code):
    ev = code("The United States was disappointed by Iraq's decision to close the embassy.", "2020-01-06")
    assert ("USA", "IRQ", "11") in triples(ev)
    assert ("IRQ", "USA", "11") not in triples(ev)


def test_call_on_someone_to_act_gives_them_the_infinitive(code):
    text = ("The foreign ministers of France and Germany met in Paris on Monday. An observer from Italy "
            "attended the talks. They agreed on a joint statement. They called on Russia to end the "
            "blockade of the port.")
    ev = code(text, "2022-03-01")
    # the second "they" takes up the first, three sentences after the group was named
    assert {("FRA", "RUS", "02"), ("DEU", "RUS", "02")} <= triples(ev)
    # "to end the blockade" is Russia's to do, not an act between France and Germany
    assert not [e for e in ev if e.root == "08" and {e.source.actor.country, e.target.actor.country} == {"FRA", "DEU"}]


def test_banned_foreign_airline_named_with_a_description(code):
    ev = code("Canada on Friday banned Chinese airline Sky Dragon Air from flying in the country.", "2022-03-01")
    (e,) = find(ev, "CAN", "CHN")
    assert e.target.actor.role == "BUS" and e.cameo == "163"


def test_expelling_an_ambassador_reduces_relations(code):
    (e,) = find(code("Athens expelled the Libyan ambassador over the maritime agreement.", "2019-12-06"), "GRC", "LBY")
    assert e.cameo == "161"


def test_reaction_to_a_meeting_named_by_its_outcome(code):
    text = ("The foreign ministers of Egypt and Greece met in Cairo on Wednesday. "
            "Turkey denounced the conclusions of the meeting.")
    ev = code(text, "2020-01-10")
    (e,) = [e for e in ev if e.source.actor.country == "TUR" and e.root == "11"]
    assert e.target.actor.country == "EGY"  # the first named of the group that met


def test_request_in_a_participle_goes_to_the_addressee(code):
    ev = code("The British police chief wrote to the US Embassy in London asking it to waive her immunity.", "2019-10-08")
    assert ("GBR", "USA", "02") in triples(ev)


def test_finite_verb_coordinated_with_an_infinitive_keeps_the_main_subject(code):
    ev = code("British Foreign Secretary Dominic Raab urged the embassy to reconsider and spoke with "
              "US Secretary of State Mike Pompeo about the case.", "2019-10-08")
    assert ("GBR", "USA", "04") in triples(ev)


def test_refusal_whose_complement_gives_no_event_is_a_rejection(code):
    ev = code("While Seoul presses for talks on the fishing dispute, the government of China has refused to discuss it.",
              "2023-05-01")
    (e,) = [e for e in ev if e.root == "12"]
    assert e.source.actor.country == "CHN" and e.target.actor.country == "KOR"


def test_verbs_continuing_a_relative_clause_share_its_subject_and_time(code):
    text = ("Officials in Canberra said they based their worries on remarks by Barack Obama during his "
            "2009-2013 term, in which he eschewed some multilateral cooperation, praised the government of "
            "Egypt, and sought a trade deal with China.")
    ev = code(text, "2024-02-15")
    praise = [e for e in ev if e.root == "05" and e.target.actor.country == "EGY"]
    assert praise and all(e.source.actor.code == "USAGOV" for e in praise)  # president in the middle of the term
    assert all(e.date == "2009/2013" and e.modality == "historical" for e in praise)


def test_an_act_stands_for_its_author(code):
    ev = code("Analysts fear his new trade policy, which could include tariffs, while demanding Japan pay more.",
              "2024-02-15")
    assert not [e for e in ev if e.root == "10" and e.source.actor.country == "JPN"]
    ev = code("Mexico fears that Trump's trade war could escalate while demanding Mexico pay for the wall.",
              "2019-02-15")
    assert ("USA", "MEX", "10") in triples(ev)


def test_leaving_a_partner_out_and_cutting_support(code):
    ev = code("Analysts warn that Washington could cut out Tokyo while reducing support for Taiwan.", "2024-02-15")
    assert {("USA", "JPN", "16"), ("USA", "TWN", "16")} <= triples(ev)
    assert all(e.modality == "hypothetical" for e in ev if e.root == "16")


def test_a_group_that_meets_gives_every_pair(code):
    ev = code("The US, Russia, and Switzerland met yesterday.", "2015-06-01")
    pairs = {(s, t) for s, t, r in triples(ev) if r == "04"}
    assert pairs == {(a, b) for a in ("USA", "RUS", "CHE") for b in ("USA", "RUS", "CHE") if a != b}


def test_coordination_hung_inside_a_name(code):
    ev = code("Barack Obama and Vladimir Putin will meet in Zurich to discuss trade.", "2015-06-01")
    # a future meeting is coded as the intent to meet (03x), as the CAMEO manual does
    assert {("USA", "RUS"), ("RUS", "USA")} <= {(s, t) for s, t, r in triples(ev) if r in ("03", "04")}


def test_plain_rejection_and_owned_heads(code):
    ev = code("Ivory Coast rebels on Friday again rejected a Senegalese peace plan.", "2003-01-10")
    (e,) = find(ev, "CIV", "SEN")
    assert e.root == "12"
    ev = code("Israeli army bulldozers demolished Palestinian homes in Gaza on Sunday.", "2004-05-16")
    assert any(e.source.actor.code.startswith("ISR") and e.target.actor.country.startswith("PSE") and e.root == "17"
               for e in ev)


def test_topic_of_a_discussion_is_not_a_target(code):
    ev = code("The foreign ministers of Egypt and Greece gathered in Cairo on Wednesday to discuss Libya-Turkey relations.",
              "2020-01-10")
    assert not [e for e in ev if e.target.actor.country in ("TUR", "LBY")]


def test_alleged_as_an_adjective_is_no_accusation(code):
    ev = code("The airline's director, Hamid Khanooki, has alleged ties to the Revolutionary Guards of Iran.", "2019-01-23")
    assert not [e for e in ev if e.root == "11"]
    ev = code("Both Saudi Arabia and the United States have alleged Iranian involvement.", "2019-09-16")
    assert ("SAU", "IRN", "11") in triples(ev)


def test_phone_call_between_two_titled_leaders(code):
    ev = code("On Monday, French President Emmanuel Macron and German Chancellor Olaf Scholz spoke on the phone.",
              "2023-03-08")
    assert {("FRA", "DEU", "04"), ("DEU", "FRA", "04")} <= triples(ev)
    assert all(e.cameo == "041" for e in ev if e.root == "04")


def test_reaction_beside_the_act_it_answers(code):
    ev = code("Hungary adopted the new media law on Monday despite condemnation by the European Union.", "2011-01-05")
    (e,) = [e for e in ev if e.root == "11"]
    assert e.source.actor.code.startswith("IGOEU") and e.target.actor.country == "HUN"
