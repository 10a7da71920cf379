"""Listen: the public survey runner, drafts, resume codes and responses."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.listen import tally
    from engage.listen.views import bp

    app.register_blueprint(bp)
    tally.install()
    tally.register(app, tally)
    if not app.testing:
        # About 0.7 s: at start, not in the first respondent's page save.
        from engage.listen.answer_languages import load_model

        load_model()
