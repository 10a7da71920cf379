"""The languages an area offers: which one a page is shown in, its direction, the switcher."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

SOURCE = "en"
SESSION_KEY = "lang"
STAFF_PREFIX = "/staff"
# Babel's locale for English: dates and numbers as people in the UK write them.
ENGLISH_LOCALE = "en_GB"

# Each language's name in its own language (GOV.UK: a switcher names a language the way its
# speakers do, so someone who cannot read the current page still finds theirs).
LANGUAGE_NAMES = {
    "en": "English",
    "pl": "Polski",
    "ro": "Română",
    "ur": "اردو",
    "ar": "العربية",
    "so": "Soomaali",
    "bn": "বাংলা",
    "pt": "Português",
    "es": "Español",
    "tr": "Türkçe",
    "pa": "ਪੰਜਾਬੀ",
    "cy": "Cymraeg",
    "uk": "Українська",
    "fa": "فارسی",
    "ps": "پښتو",
    "ku": "Kurdî",
    "ti": "ትግርኛ",
    "zh": "中文",
}
# For staff, who read the list in English.
ENGLISH_NAMES = {
    "en": "English",
    "pl": "Polish",
    "ro": "Romanian",
    "ur": "Urdu",
    "ar": "Arabic",
    "so": "Somali",
    "bn": "Bengali",
    "pt": "Portuguese",
    "es": "Spanish",
    "tr": "Turkish",
    "pa": "Punjabi",
    "cy": "Welsh",
    "uk": "Ukrainian",
    "fa": "Persian",
    "ps": "Pashto",
    "ku": "Kurdish",
    "ti": "Tigrinya",
    "zh": "Chinese",
}
RIGHT_TO_LEFT = {"ar", "ur", "fa", "ps", "he", "yi", "ckb", "dv", "sd", "ug"}


def parse_languages(setting: str) -> list[str]:
    """ENGAGE_LANGUAGES as a list of codes, English first whatever the order given."""
    codes = [SOURCE]
    for part in setting.split(","):
        code = part.strip().lower()
        if not code or code in codes:
            continue
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise ValueError(f"ENGAGE_LANGUAGES: {code!r} is not a language code such as pl or ur")
        codes.append(code)
    return codes


def configured_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def english_name(code: str) -> str:
    return ENGLISH_NAMES.get(code, code)


def base_language(code: str) -> str:
    return code.split("_")[0].lower()


def is_rtl(code: str) -> bool:
    return base_language(code) in RIGHT_TO_LEFT


def direction(code: str) -> str:
    return "rtl" if is_rtl(code) else "ltr"


def _is_staff_page() -> bool:
    return request.path == STAFF_PREFIX or request.path.startswith(STAFF_PREFIX + "/")


def select_locale() -> str:
    """Flask-Babel's locale selector: ?lang=xx (kept for the visit), else the visit's choice,
    else the browser's Accept-Language, else English. Staff pages stay in English."""
    if not has_request_context() or _is_staff_page():
        return ENGLISH_LOCALE
    codes = configured_languages()
    asked = request.args.get("lang", "")
    if asked in codes:
        session[SESSION_KEY] = asked
        return _babel_locale(asked)
    kept = session.get(SESSION_KEY)
    if kept in codes:
        return _babel_locale(kept)
    return _babel_locale(request.accept_languages.best_match(codes) or SOURCE)


def _babel_locale(code: str) -> str:
    return ENGLISH_LOCALE if code == SOURCE else code


def current_language() -> str:
    """The code of the language this request is shown in (one of configured_languages())."""
    locale = get_locale()
    if locale is None:
        return SOURCE
    code = str(locale)
    if code == ENGLISH_LOCALE:
        return SOURCE
    return code


@dataclass(frozen=True)
class SwitcherLink:
    code: str
    name: str
    dir: str
    href: str
    current: bool


def switcher_links(page_languages: list[str] | None = None) -> list[SwitcherLink]:
    """The switcher's entries: the languages this page is offered in (all the area's when the
    view does not say), in the area's order, the current one marked. Empty on staff pages and
    when there is nothing to switch to."""
    if _is_staff_page():
        return []
    configured = configured_languages()
    current = current_language()
    offered = set(page_languages) if page_languages is not None else set(configured)
    offered.add(current)
    codes = [code for code in configured if code in offered]
    if len(codes) < 2:
        return []
    return [
        SwitcherLink(
            code, language_name(code), direction(code), _same_page_in(code), code == current
        )
        for code in codes
    ]


def _same_page_in(code: str) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def init_app(app: Flask) -> None:
    @app.context_processor
    def _page_language() -> dict:
        # A view may still pass html_lang itself (e.g. a page kept in English).
        code = current_language() if has_request_context() else SOURCE
        return {"html_lang": code, "html_dir": direction(code)}

    app.jinja_env.globals["language_switcher_links"] = switcher_links
    app.jinja_env.globals["language_direction"] = direction
    app.jinja_env.globals["language_english_name"] = english_name
