"""Made-up free-text answers for the living demo, in the words SEND families and young people use.

Each answer is put together from a topic's own experiences, wishes and details (who the child
is, where, how long), so a few hundred answers read as a few hundred different people rather
than a handful of sentences repeated. No names, schools or places: nothing identifies anyone.
"""

from __future__ import annotations

import random

CHILDREN = (
    "my son",
    "my daughter",
    "our son",
    "our daughter",
    "my autistic son",
    "my autistic daughter",
    "my son with ADHD",
    "my daughter with Down syndrome",
    "our youngest",
    "my eldest",
    "my foster child",
    "my grandson",
    "my granddaughter",
    "my non-verbal child",
    "my son with cerebral palsy",
    "my deaf daughter",
    "my teenager",
)
DURATIONS = (
    "six months",
    "eight months",
    "nearly a year",
    "over a year",
    "18 months",
    "almost two years",
    "three school terms",
    "since Year 2",
    "since the start of secondary",
    "since the summer",
)
SETTINGS = (
    "primary school",
    "secondary school",
    "the special school",
    "the resource base",
    "college",
    "nursery",
    "the pupil referral unit",
    "home education",
)
OPENINGS = (
    "",
    "",
    "",
    "Honestly, ",
    "To be fair, ",
    "As a single parent, ",
    "As a working parent, ",
    "As a foster carer, ",
    "For our family, ",
    "In my experience, ",
    "Speaking as a grandparent who cares full time, ",
    "I have to say ",
    "Overall ",
)
CLOSINGS = (
    "",
    "",
    "",
    "",
    " Thank you for asking.",
    " I hope this survey actually changes something.",
    " We are exhausted.",
    " Please keep asking families.",
    " It makes such a difference when it works.",
    " Other parents I know say the same.",
    " We should not have to fight for everything.",
)
JOINS = (" But ", " However, ", " Also, ", " On the other hand, ", " At the same time, ")
ASKS = (
    "What would help most is {wish}.",
    "We need {wish}.",
    "Please think about {wish}.",
    "It would make a big difference to have {wish}.",
    "The one change I would make is {wish}.",
    "Families like ours need {wish}.",
)

# Per topic: good experiences, poor ones, and what people ask for. "{child}", "{time}" and
# "{setting}" are filled from the lists above.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "speech": {
        "good": (
            "the speech and language therapist has been brilliant with {child}",
            "the therapy sessions at {setting} have really helped {child} to talk to friends",
            "{child} now uses a communication book and the staff understand it",
            "the therapist explains things clearly and gives us games to practise at home",
            "the visual timetable the therapist set up at {setting} has calmed mornings down",
            "the signing group has been lovely and {child} looks forward to it",
            "the teaching assistant follows the therapy targets every day",
        ),
        "poor": (
            "we waited {time} for a speech and language assessment",
            "therapy stopped when {child} moved to {setting}",
            "the therapist changed three times and nobody told us",
            "the sessions are only once a term, which is not enough",
            "the targets in the plan were copied from last year",
            "the therapy report arrived months after the appointment",
            "{child} is taken out of favourite lessons for therapy",
            "we were discharged without warning after {time}",
        ),
        "wish": (
            "more therapy time in school",
            "a therapist who stays the same",
            "shorter waiting times for speech and language therapy",
            "training for teaching assistants in signing",
            "sessions in the holidays too",
            "being told what the therapy targets are",
            "a copy of the programme to use at home",
        ),
    },
    "local_offer": {
        "good": (
            "the Local Offer website helped me find a holiday club quickly",
            "SEND IASS gave us clear advice before the annual review",
            "the SENCO at {setting} keeps us informed every half term",
            "the parent carer forum pointed us to the right service",
            "the new SEN support plan at {setting} has made {child} much happier",
            "the caseworker rang back the same day and explained the EHC plan process",
        ),
        "poor": (
            "the Local Offer website is hard to search and the links are out of date",
            "I did not know what support {child} was entitled to for {time}",
            "the EHC plan review was late and nobody replied to my emails",
            "SEN support at {setting} depends on which teacher {child} has",
            "the forms are long and full of jargon",
            "we were told different things by health and the council",
            "we had to repeat our story to every new professional",
            "the information about preparing for adulthood is missing",
            "{child} has been on a reduced timetable at {setting} for {time}",
        ),
        "wish": (
            "one named person to contact",
            "a Local Offer search that works on a phone",
            "plain English information about SEN support",
            "a guide to the EHC plan process with dates",
            "being told what is happening with the plan",
            "help earlier, before things reach crisis point",
            "services that talk to each other",
            "easy read letters",
        ),
    },
    "short_breaks": {
        "good": (
            "the holiday play scheme has been a lifeline for our family",
            "the staff at the after-school club understand {child} and are so kind",
            "the sitting service means I can spend time with my other children",
            "the overnight short break gave us our first full night's sleep in {time}",
            "{child} has made real friends at the youth club",
            "the direct payment lets us choose activities that suit {child}",
        ),
        "poor": (
            "there are no holiday clubs that can manage {child}'s needs",
            "the short breaks offer stops at age 11 and there is nothing for teenagers",
            "we waited {time} for a carer's assessment",
            "the direct payment rate does not cover the cost of a carer",
            "the only club is a long drive away and there is no transport",
            "places at the play scheme go within hours of booking opening",
            "the eligibility rules are confusing and nobody explains them",
            "overnight breaks were cut and we were not told why",
        ),
        "wish": (
            "more short breaks in the holidays",
            "clubs for teenagers with complex needs",
            "transport to clubs",
            "a clear explanation of who can get short breaks",
            "direct payment rates that match what carers cost",
            "a fair way to book play scheme places",
            "overnight breaks closer to home",
        ),
    },
}

YOUNG_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "speech": {
        "like": (
            "the games we play",
            "the pictures",
            "my therapist",
            "practising words with my mum",
            "using my talker",
            "the sticker chart",
            "talking in a small group",
        ),
        "dislike": (
            "missing PE to go",
            "being taken out of class",
            "when the therapist is off",
            "waiting a long time",
            "when people talk too fast",
            "doing the same thing every week",
        ),
        "better": (
            "more time with my therapist",
            "the same person every time",
            "games on the tablet",
            "going at break time, not in lessons",
            "my teacher knowing my signs",
        ),
    },
    "short_breaks": {
        "like": (
            "swimming",
            "the holiday club",
            "making things",
            "football with my friends",
            "the staff, they are kind",
            "going on trips",
            "the quiet room",
            "cooking",
        ),
        "dislike": (
            "when it is too noisy",
            "the long bus ride",
            "when my friend cannot come",
            "that it stops in the summer",
            "that there is nothing for older kids",
            "being with little children",
        ),
        "better": (
            "more days in the holidays",
            "a club for teenagers",
            "a quiet space",
            "going out more",
            "staff who know sign language",
            "clubs nearer my house",
        ),
    },
}
YOUNG_FORMS = (
    "I like {like}.",
    "I like {like} and {like2}.",
    "I do not like {dislike}.",
    "I like {like} but I do not like {dislike}.",
    "It would be better with {better}.",
    "I want {better}.",
    "Good: {like}. Not good: {dislike}.",
    "I like {like}. I want {better}.",
    "Please can we have {better}.",
    "It is ok. I do not like {dislike}.",
    "{Like} is the best bit.",
    "I feel happy when it is {like}.",
)

# A small share mentions harm, as real comments sometimes do, so the safeguarding queue has the
# cases it exists for.
CONCERNS = (
    "my son says he does not feel safe at school because of bullying",
    "she has been self harming and we cannot get help",
    "he is scared of one of the adults on the bus",
)
CONCERN_RATE = 0.006


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        child=rng.choice(CHILDREN), time=rng.choice(DURATIONS), setting=rng.choice(SETTINGS)
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def family_answer(rng: random.Random, topic: str) -> str:
    """A parent's or carer's answer: an experience or two, often a wish, sometimes a closing."""
    bank = TOPICS[topic]
    roll = rng.random()
    if roll < 0.25:
        body = _fill(rng.choice(bank["good"]), rng) + "."
    elif roll < 0.65:
        body = _fill(rng.choice(bank["poor"]), rng) + "."
    else:
        body = (
            _fill(rng.choice(bank["good"]), rng)
            + "."
            + rng.choice(JOINS)
            + _fill(rng.choice(bank["poor"]), rng)
            + "."
        )
    text = _capitalise(rng.choice(OPENINGS) + body)
    if rng.random() < 0.7:
        text += " " + rng.choice(ASKS).format(wish=rng.choice(bank["wish"]))
    text += rng.choice(CLOSINGS)
    if rng.random() < CONCERN_RATE:
        text += f" Also {rng.choice(CONCERNS)}."
    return text


def young_answer(rng: random.Random, topic: str) -> str:
    """A young person's answer: short, plain words, as easy-read answers are."""
    bank = YOUNG_TOPICS[topic]
    like, like2 = rng.sample(bank["like"], 2)
    text = rng.choice(YOUNG_FORMS).format(
        like=like,
        like2=like2,
        Like=_capitalise(like),
        dislike=rng.choice(bank["dislike"]),
        better=rng.choice(bank["better"]),
    )
    if rng.random() < CONCERN_RATE:
        text += " Someone at club hurts me."
    return text


# Which topic each demo survey's answers are about.
SURVEY_TOPICS = {
    "talking-help-at-school": "speech",
    "local-offer-and-sen-support": "local_offer",
    "short-breaks-families": "short_breaks",
    "short-breaks-young-people": "short_breaks",
}


def writer(rng: random.Random, survey_slug: str, young: bool, limit: int) -> str:
    """The text for a free-text answer to one of the demo surveys (synthetic.generate's hook)."""
    topic = SURVEY_TOPICS.get(survey_slug, "local_offer")
    if young:
        text = young_answer(rng, topic if topic in YOUNG_TOPICS else "speech")
    else:
        text = family_answer(rng, topic)
    return text[:limit]
