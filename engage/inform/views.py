"""Public information pages: home, accessibility statement, privacy notice."""

from flask import render_template, request

from engage import content_translations as content
from engage.accounts.access import public
from engage.inform import accessibility as accessibility_pages
from engage.inform import bp, engagements, translations

accessibility_pages.register(bp)


@bp.route("/")
@public
def home():
    found = engagements.open_engagements()
    language = content.current_language()
    shown = {
        engagement.id: translations.show_in_language(engagement, language) for engagement in found
    }
    return render_template(
        "inform/home.html",
        engagements=found,
        engagement_langs={key: reading.language for key, reading in shown.items()},
    )


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("inform/accessibility.html")


@bp.route("/privacy")
@public
def privacy():
    return render_template("inform/privacy.html")


@bp.route("/healthz")
@public
def healthz():
    return {"status": "ok"}


@bp.route("/engagements/<slug>")
@public
def engagement(slug: str):
    found = engagements.public_engagement(slug)
    easy_read = engagements.wants_easy_read(request.args.get("version"))
    shown = translations.show_in_language(found, content.current_language())
    return render_template(
        "inform/engagement.html",
        engagement=found,
        easy_read=easy_read,
        page_languages=shown.languages,
        engagement_lang=shown.language,
    )
