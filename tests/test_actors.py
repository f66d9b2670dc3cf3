"""Actor mentions and their resolution, with the real spaCy model and bundled knowledge base."""

from newsevents.pipeline import Pipeline


def actors_by_text(ann):
    return {m.text: m.actor for m in ann.actors}


def test_title_and_name_resolved_for_the_article_date(annotate):
    ann = annotate("Japanese Prime Minister Fumio Kishida met reporters in Tokyo on Monday.", "2024-02-15")
    a = actors_by_text(ann)
    assert a["Japanese Prime Minister Fumio Kishida"].code == "JPNGOV"


def test_same_name_different_dates(annotate):
    later = annotate("Fumio Kishida spoke to reporters.", "2025-06-01")
    (m,) = [m for m in later.actors if "Kishida" in m.text]
    assert m.actor.country == "JPN" and m.actor.role != "GOV"  # no longer prime minister
    trump_2024 = annotate("Donald Trump attacked Joe Biden at a rally.", "2024-02-15")
    codes = {m.text: m.actor.code for m in trump_2024.actors}
    assert codes["Donald Trump"] == "USAELI" and codes["Joe Biden"] == "USAGOV"
    trump_2018 = annotate("Donald Trump met Kim Jong Un in Singapore.", "2018-06-12")
    codes = {m.text: m.actor.code for m in trump_2018.actors}
    assert codes["Donald Trump"] == "USAGOV" and codes["Kim Jong Un"] == "PRKGOV"


def test_capital_as_government_versus_place(annotate):
    ann = annotate("Tokyo wants to hold talks with Pyongyang through a channel in Beijing.")
    a = actors_by_text(ann)
    assert a["Tokyo"].code == "JPNGOV" and a["Pyongyang"].code == "PRKGOV"
    assert "Beijing" not in a  # a place, not an actor


def test_apposition_then_surname_then_pronoun(annotate):
    ann = annotate(
        "Christopher Johnstone, a former CIA official, criticised the plan. "
        "Johnstone said the talks were risky. He added that Seoul should be consulted."
    )
    johnstone = [m for m in ann.actors if m.text in ("Christopher Johnstone", "Johnstone", "He")]
    assert {m.text for m in johnstone} == {"Christopher Johnstone", "Johnstone", "He"}
    assert all(m.actor.country == "USA" for m in johnstone)
    assert {m.via for m in johnstone if m.text != "Christopher Johnstone"} == {"alias", "pronoun"}


def test_agent_noun_phrases(annotate):
    ann = annotate(
        "Japanese companies fear new tariffs. Several LDP members were indicted, "
        "and six Japanese government officials spoke to Reuters."
    )
    a = actors_by_text(ann)
    assert a["Japanese companies"].code == "JPNBUS"
    assert a["Several LDP members"].code == "JPNPTY"
    assert a["six Japanese government officials"].code == "JPNGOV"
    assert a["Reuters"].role == "MED"


def test_family_name_first_alias(annotate):
    ann = annotate("North Korean leader Kim Jong Un sent a letter. Kim also praised Beijing.")
    kims = [m for m in ann.actors if m.text.endswith("Kim Jong Un") or m.text == "Kim"]
    assert len(kims) == 2 and all(m.actor.code == "PRKGOV" for m in kims)


def test_user_actor_dictionary_overrides_the_bundled_tables(tmp_path):
    csv = tmp_path / "actors.csv"
    csv.write_text("name,code,aliases\nAcme Shipping,PANBUS,Acme\n", encoding="utf-8")
    pipe = Pipeline(actor_dictionaries=[str(csv)])
    ann = pipe.annotate(__import__("newsevents.pipeline", fromlist=["make_article"]).make_article(
        "Acme Shipping sued the Panamanian government.", "2024-02-15"))
    a = {m.text: m.actor.code for m in ann.actors}
    assert a.get("Acme Shipping") == "PANBUS"


def test_bad_user_dictionary_names_file_and_line(tmp_path):
    import pytest

    from newsevents.kb import read_user_actor_csv

    bad = tmp_path / "bad.csv"
    bad.write_text("name,code,start\nAcme,PANBUS,2020-13-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv: line 2"):
        read_user_actor_csv(bad)


def test_given_name_before_a_patronymic_is_the_short_name(annotate):
    ann = annotate("Saudi Crown Prince Mohammed bin Salman met Egyptian President Abdel Fattah el-Sisi in "
                   "Riyadh. Mohammed thanked Egypt for its support.", "2022-03-01")
    later = [m for m in ann.actors if m.text == "Mohammed"]
    assert later and all(m.actor.country == "SAU" for m in later)
    assert any(e.source.actor.country == "SAU" and e.target.actor.country == "EGY" and e.root == "05"
               for e in ann.events)


def test_envoy_title_with_the_host_country_before_the_name(annotate):
    ann = annotate("US Ambassador to Germany Richard Grenell alleged that Iran had supported terrorism.", "2019-05-01")
    (m,) = [m for m in ann.actors if "Grenell" in m.text]
    assert m.actor.country == "USA"
    assert any(e.source.actor.country == "USA" and e.target.actor.country == "IRN" and e.root == "11"
               for e in ann.events)


def test_domestic_group_takes_the_one_country_its_sentence_names(annotate):
    ann = annotate("Egyptian police opened fire on demonstrators in Cairo on Monday night.", "1994-03-01")
    (m,) = [m for m in ann.actors if m.text == "demonstrators"]
    assert m.actor.code == "EGYOPP"
    # two countries named: no guess
    ann = annotate("Israeli police detained demonstrators near the Jordanian border.", "1994-03-01")
    assert not [m for m in ann.actors if m.text == "demonstrators"]
