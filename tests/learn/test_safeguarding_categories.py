"""Each category of harm the screen knows flags its examples, written the way children write,
names the category, and leaves its look-alikes alone."""

from __future__ import annotations

import pytest

from engage.learn import safeguarding
from engage.learn.text.screen import CATEGORIES, Level

EXAMPLES = {
    "suicide_self_harm": [
        ("wanna sleep 4eva", Level.URGENT),
        ("i hid the pills under my bed for wen i need them", Level.URGENT),
        ("sumtimes i wanna walk in front of a car", Level.URGENT),
        ("evry1 wud be beter off wivout me", Level.URGENT),
        ("i took to many of my tablets on perpose", Level.URGENT),
        ("i keep thinkin bout dyin", Level.URGENT),
        ("wana kil myself", Level.URGENT),
        ("no1 wud miss me if i died", Level.URGENT),
        ("i wish i wasnt born", Level.URGENT),
        ("i scratch my arms till they bleed", Level.URGENT),
    ],
    "physical_abuse": [
        ("dad slams my fingers in the door", Level.URGENT),
        ("stepdad puts his hand over my mouth", Level.URGENT),
        ("daddy smaks me 😢", Level.URGENT),
        ("i got a big bruise from dad", Level.URGENT),
        ("step dad kiks me", Level.URGENT),
        ("mum hitz me wiv the belt", Level.URGENT),
        ("my uncle twisted my arm till it hurt", Level.URGENT),
        ("i have bruises on my legs and i dont know why", Level.CONCERN),
    ],
    "sexual_abuse": [
        ("he takes photos of me when im getting dressed", Level.URGENT),
        ("my stepdad says its a game but i dont like it", Level.URGENT),
        ("someone online asked me to show them my body on camera", Level.URGENT),
        ("he puts his hand in my nickers", Level.URGENT),
        ("this guy online sed he wud send me vbucks if i send a pic", Level.URGENT),
        ("a man on tiktok asks me wot im wearing", Level.URGENT),
        ("a man on fortnite wants pics of me", Level.URGENT),
        ("he said its our little secret", Level.URGENT),
        ("he asked me to take my top off on camera", Level.URGENT),
        ("someone online sent me a present and wants my address", Level.CONCERN),
    ],
    "neglect": [
        ("we dont have a fridge or a cooker", Level.URGENT),
        ("there is never food in the house", Level.URGENT),
        ("i eat crisps for tea evry day", Level.CONCERN),
        ("there is never any food in the house", Level.URGENT),
        ("mum goes out and leaves me and my sister", Level.URGENT),
        ("i only eat at school", Level.CONCERN),
        ("i havent had a bath in weeks", Level.CONCERN),
    ],
    "domestic_abuse": [
        ("dad tried to drown mum in the bath", Level.URGENT),
        ("mums boyfrend punches her", Level.URGENT),
        ("dad pulls mums hair", Level.URGENT),
        ("dad threw a plate at mum", Level.URGENT),
        ("my mums boyfriend punched her in the face", Level.URGENT),
        ("they fight every night", Level.CONCERN),
    ],
    "fear_of_home": [
        ("i sleep wiv a knife under my pillow", Level.URGENT),
        ("my dad scares me", Level.URGENT),
        ("im scard of what mum will do if i get home late", Level.URGENT),
        ("scard to go home", Level.URGENT),
        ("i dont feel safe wiv my dad", Level.URGENT),
        ("please dont send me home", Level.URGENT),
        ("home is horrible and scary", Level.CONCERN),
    ],
    "criminal_exploitation": [
        ("they make me hide stuff in my bum", Level.URGENT),
        ("i been selling for them", Level.URGENT),
        ("older boys make me sell weed", Level.URGENT),
        ("i get sent on the train with bags", Level.URGENT),
        ("they pay me to hide things", Level.URGENT),
        ("the older lads gave me a phone", Level.CONCERN),
    ],
    "bullying": [
        ("they keep sending me messages saying go die", Level.URGENT),
        ("they set my hair on fire", Level.URGENT),
        ("some boys said they will stab me", Level.URGENT),
        ("they put my head down the toilet", Level.URGENT),
        ("they spit on me at break", Level.CONCERN),
    ],
    "forced_marriage_fgm_radicalisation": [
        ("they want me to have the cut", Level.URGENT),
        ("im 15 and they found me a husband", Level.URGENT),
        ("my parents have picked a husband for me", Level.URGENT),
        ("my mum says i need to be cut", Level.URGENT),
        ("a man online says we should fight the nonbelievers", Level.URGENT),
    ],
    "running_away": [
        ("i slept in a bus shelter", Level.URGENT),
        ("i been staying at a mans house", Level.URGENT),
        ("im going to leave home and never come back", Level.URGENT),
        ("i have no where to sleep", Level.URGENT),
        ("my mum threw me out", Level.URGENT),
        ("i stay out late so i dont see him", Level.CONCERN),
    ],
}
LOOK_ALIKES = {
    "suicide_self_harm": [
        "i died laughing",
        "my phone died",
        "we cut out shapes in art",
        "i wanted to die of embarrassment",
        "i want to die my hair pink",
        "i cut my knee when i fell off my bike",
    ],
    "physical_abuse": [
        "in karate we kick and punch the pads",
        "loud noises hurt my ears",
        "my brother beat me at fifa",
        "my mum will kill me if i lose my coat",
        "i kicked the ball and it hit my sister",
        "i beat my brother at fortnite",
        "my sister hits me at tag",
    ],
    "sexual_abuse": ["i send pictures of my dog to my nan", "my uncle bought me a game"],
    "neglect": ["i am hungry now", "my dad makes the best dinner"],
    "domestic_abuse": ["my parents argue about the tv", "dad shouts at the football on tv"],
    "fear_of_home": ["i feel safe at school", "im scared of spiders", "i like going home"],
    "criminal_exploitation": ["i watched a film about gangs", "my phone is new"],
    "bullying": [
        "the teacher shouted at the class",
        "we had a fight with pillows",
        "we learned about bullying in assembly",
    ],
    "forced_marriage_fgm_radicalisation": ["my auntie got married in the summer"],
    "running_away": [
        "i want to run faster",
        "i get lost sometimes",
        "my dog ran away but came home",
    ],
}


@pytest.fixture(scope="module")
def screen():
    return safeguarding.parse_phrases(safeguarding.DEFAULT_PHRASES_FILE.read_text("utf-8"))


@pytest.mark.parametrize(
    ("category", "text", "level"),
    [(slug, text, level) for slug, found in EXAMPLES.items() for text, level in found],
)
def test_each_category_flags_its_examples_and_names_itself(screen, category, text, level):
    found = screen.screen(text)
    assert found.level is level, (text, found.reasons)
    assert CATEGORIES[category] in found.categories, (text, found.categories)
    assert found.words


@pytest.mark.parametrize(
    ("category", "text"), [(slug, text) for slug, texts in LOOK_ALIKES.items() for text in texts]
)
def test_each_category_leaves_its_look_alikes_alone(screen, category, text):
    assert not screen.screen(text), screen.screen(text).reasons


def test_a_word_read_in_another_sense_leaves_the_rest_of_the_text_screened(screen):
    # "beat me at fifa" is winning; the dad's beating after it is still found, and urgent.
    assert not screen.screen("my brother beat me at fifa")
    found = screen.screen("my brother beat me at fifa then dad beat me")
    assert found.level is Level.URGENT
    assert "dad" in found.words
    # The idiom covers losing things, not a threat about telling.
    assert screen.screen("he will kill me if i tell").level is Level.URGENT
    # A lesson about bullying is not a disclosure; the child's own words after it are.
    assert screen.screen("we learned about bullying and i am bullied every day")


def test_an_areas_file_can_read_a_word_in_another_sense():
    rules = safeguarding.parse_rules(
        safeguarding.DEFAULT_PHRASES_FILE.read_text("utf-8"), "built-in"
    )
    local = "[not harm: Local games]\nbeat* me at conkers\n"
    screen = safeguarding.PhraseScreen(safeguarding.parse_rules(local, "local.txt", rules))
    builtin = safeguarding.PhraseScreen(rules)
    assert builtin.screen("my brother beat me at conkers")
    assert not screen.screen("my brother beat me at conkers")
