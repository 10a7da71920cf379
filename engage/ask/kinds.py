"""What each kind of question offers: fixed answer sets for scales and 'about you'."""

from __future__ import annotations

from dataclasses import dataclass

from engage.ask.models import QuestionKind


@dataclass(frozen=True)
class StandardOption:
    value: str
    text: str
    easy_read_text: str
    symbol: str | None = None


# Faces and words; radio inputs underneath keep keyboard and screen readers working.
FEELINGS = (
    StandardOption("very_happy", "Very happy", "Very happy", "1F601"),
    StandardOption("happy", "Happy", "Happy", "1F642"),
    StandardOption("okay", "Okay", "OK", "1F610"),
    StandardOption("sad", "Sad", "Sad", "1F641"),
    StandardOption("very_sad", "Very sad", "Very sad", "1F622"),
)

AGREE = (
    StandardOption("strongly_agree", "Strongly agree", "Yes, a lot", "1F44D"),
    StandardOption("agree", "Agree", "Yes", "1F642"),
    StandardOption("neither", "Neither agree nor disagree", "Not sure", "1F610"),
    StandardOption("disagree", "Disagree", "No", "1F641"),
    StandardOption("strongly_disagree", "Strongly disagree", "No, not at all", "1F44E"),
)

YES_NO = (
    StandardOption("yes", "Yes", "Yes", "2705"),
    StandardOption("no", "No", "No", "274C"),
    StandardOption("not_sure", "Not sure", "Not sure", "2753"),
)

RESPONDENT_GROUP = (
    StandardOption(
        "young_person", "A child or young person", "I am a child or young person", "1F9D2"
    ),
    StandardOption("parent_carer", "A parent or carer", "I am a parent or carer", "1F46A"),
    StandardOption(
        "professional",
        "Someone who works with children",
        "I work with children",
        "1F9D1-200D-1F3EB",
    ),
    StandardOption("other", "Someone else", "Someone else", "1F464"),
    StandardOption("not_said", "Prefer not to say", "I do not want to say", "1F910"),
)

AGE_BAND = (
    StandardOption("under_8", "Under 8", "Under 8"),
    StandardOption("8_11", "8 to 11", "8 to 11"),
    StandardOption("12_15", "12 to 15", "12 to 15"),
    StandardOption("16_18", "16 to 18", "16 to 18"),
    StandardOption("19_25", "19 to 25", "19 to 25"),
    StandardOption("over_25", "Over 25", "Over 25"),
    StandardOption("not_said", "Prefer not to say", "I do not want to say", "1F910"),
)

ANSWERED_HOW = (
    StandardOption("own", "On my own", "On my own", "1F9CD"),
    StandardOption("with_help", "With help", "Someone helped me", "1F91D"),
    StandardOption("on_behalf", "Someone answered for me", "Someone answered for me", "1F5E3"),
    StandardOption("not_said", "Prefer not to say", "I do not want to say", "1F910"),
)

STANDARD_OPTIONS: dict[QuestionKind, tuple[StandardOption, ...]] = {
    QuestionKind.FEELINGS_SCALE: FEELINGS,
    QuestionKind.AGREE_SCALE: AGREE,
    QuestionKind.YES_NO: YES_NO,
    QuestionKind.RESPONDENT_GROUP: RESPONDENT_GROUP,
    QuestionKind.AGE_BAND: AGE_BAND,
    QuestionKind.ANSWERED_HOW: ANSWERED_HOW,
}

CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
ABOUT_YOU_KINDS = {QuestionKind.RESPONDENT_GROUP, QuestionKind.AGE_BAND, QuestionKind.ANSWERED_HOW}

KIND_LABELS = {
    QuestionKind.SINGLE_CHOICE: "Single choice",
    QuestionKind.MULTIPLE_CHOICE: "Multiple choice",
    QuestionKind.FEELINGS_SCALE: "Feelings scale (faces)",
    QuestionKind.AGREE_SCALE: "Agree scale",
    QuestionKind.YES_NO: "Yes / no / not sure",
    QuestionKind.FREE_TEXT: "Free text",
    QuestionKind.RESPONDENT_GROUP: "About you: who is answering",
    QuestionKind.AGE_BAND: "About you: age band",
    QuestionKind.ANSWERED_HOW: "About you: how it was answered",
}


def has_options(kind: QuestionKind) -> bool:
    return kind != QuestionKind.FREE_TEXT
