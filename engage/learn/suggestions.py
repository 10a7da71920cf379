"""Suggested new themes from free-text answers that fit no theme: TF-IDF over lemmas,
k-means clusters, each named by its top terms with three representative quotes. Offline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from engage.accounts import audit
from engage.extensions import db
from engage.learn import tally as learn_tally
from engage.learn import themes
from engage.learn.models import Coding, CodingSource, Theme
from engage.learn.safeguarding import flagged_answer_ids
from engage.learn.text import content_lemmas
from engage.listen.models import Answer, Response, ResponseStatus

MIN_ANSWERS = 6
MAX_SUGGESTIONS = 8
MAX_ANSWERS = 5_000  # the newest uncoded answers; enough to see what is new
QUOTES = 3


@dataclass
class Suggestion:
    name: str
    keywords: list[str]
    quotes: list[str]
    answer_ids: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.answer_ids)


def cluster_texts(
    texts: Sequence[str], min_cluster: int = 3, max_clusters: int = MAX_SUGGESTIONS
) -> list[tuple[list[str], list[int]]]:
    """Groups of similar texts: (top terms, indexes of the texts, nearest the centre first)."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents = [" ".join(content_lemmas(text)) for text in texts]
    usable = [index for index, document in enumerate(documents) if document]
    if len(usable) < min_cluster * 2:
        return []
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    try:
        matrix = vectoriser.fit_transform([documents[index] for index in usable])
    except ValueError:  # no term occurs twice
        return []
    terms = vectoriser.get_feature_names_out()
    count = max(2, min(max_clusters, len(usable) // (min_cluster * 2)))
    model = KMeans(n_clusters=count, n_init=4, random_state=0).fit(matrix)
    groups = []
    for cluster in range(count):
        members = np.flatnonzero(model.labels_ == cluster)
        if len(members) < min_cluster:
            continue
        centre = model.cluster_centers_[cluster]
        # A cluster held together by one shared word in every text is a theme; a cluster of
        # leftovers has no term most of its members share, so it is dropped.
        present = (matrix[members] > 0).mean(axis=0).A1
        top = [terms[i] for i in centre.argsort()[::-1][:8] if present[i] >= 0.3]
        if not top:
            continue
        rows = matrix[members]
        # Squared distance to the centre, kept sparse: |x|^2 - 2 x.c + |c|^2.
        distances = rows.multiply(rows).sum(axis=1).A1 - 2 * (rows @ centre) + centre @ centre
        order = members[distances.argsort()]
        groups.append((top, [usable[index] for index in order]))
    groups.sort(key=lambda group: -len(group[1]))
    return groups


def _name(top_terms: Sequence[str]) -> str:
    words: list[str] = []
    for term in top_terms:
        if not any(term in chosen or chosen in term for chosen in words):
            words.append(term)
        if len(words) == 2:
            break
    return " and ".join(words).capitalize()


def _uncoded_answers(limit: int = MAX_ANSWERS, surveys=None) -> list[tuple[int, str]]:
    coded = select(Coding.answer_id)
    in_reach = () if surveys is None else (Response.survey_id.in_(surveys),)
    rows = db.session.execute(
        select(Answer.id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.status == ResponseStatus.SUBMITTED,
            Answer.text.is_not(None),
            Answer.text != "",
            Answer.id.not_in(coded),
            *in_reach,
        )
        .order_by(Answer.id.desc())
        .limit(limit)
    ).all()
    return [(answer_id, text) for answer_id, text in rows if text.strip()]


def suggest_themes(min_answers: int = MIN_ANSWERS, surveys=None) -> list[Suggestion]:
    """New themes suggested from answers with no coding at all (of the surveys given: a
    subquery of the ids in the staff member's reach). Quotes never include flagged text, and
    a suggested name never repeats a theme already in the codebook."""
    answers = _uncoded_answers(surveys=surveys)
    if len(answers) < min_answers:
        return []
    flagged = flagged_answer_ids([answer_id for answer_id, _ in answers])
    existing = {name.lower() for name in db.session.scalars(select(Theme.name))}
    suggestions = []
    for top, indexes in cluster_texts([text for _, text in answers], min_cluster=3):
        name = _name(top)
        if name.lower() in existing:
            continue
        ids = [answers[index][0] for index in indexes]
        quotes = [answers[index][1] for index in indexes if answers[index][0] not in flagged]
        suggestions.append(Suggestion(name, list(top[:6]), quotes[:QUOTES], ids))
    return suggestions


def accept_suggestion(
    name: str,
    keywords: Iterable[str] | str,
    user,
    answer_ids: Iterable[int] = (),
    description: str = "",
    surveys=None,
) -> Theme:
    """Add a suggested theme to the codebook in one step, and code the answers it came from
    (as automatic codes for staff to confirm). Does not commit."""
    theme = themes.create_theme(name, keywords, description=description)
    ids = sorted(set(answer_ids))
    if ids and surveys is not None:
        ids = list(
            db.session.scalars(
                select(Answer.id)
                .join(Response, Response.id == Answer.response_id)
                .where(Answer.id.in_(ids), Response.survey_id.in_(surveys))
                .order_by(Answer.id)
            )
        )
    if ids:
        already = set(
            db.session.scalars(
                select(Coding.answer_id).where(
                    Coding.theme_id == theme.id, Coding.answer_id.in_(ids)
                )
            )
        )
        with learn_tally.recount(set(ids) - already):
            for answer_id in ids:
                if answer_id not in already:
                    db.session.add(
                        Coding(
                            answer_id=answer_id,
                            theme_id=theme.id,
                            source=CodingSource.AUTO,
                            confirmed=False,
                        )
                    )
    db.session.flush()
    audit.record(
        "theme_suggestion_accepted",
        "theme",
        theme.id,
        detail=f"answers={len(ids)}",
        user_id=getattr(user, "id", None),
    )
    return theme
