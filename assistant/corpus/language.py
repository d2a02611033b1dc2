"""Which language a question or document is in.

Questions are short and almost always English or French: a stop-word count decides
those in microseconds; anything else falls back to py3langid (loaded on first use).
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = {
    "en": set("""the a an of to in is are was be by for on with and or what which who whom whose
        how when where why can may must shall should does do did has have it its this that these those
        there from at as any many much long early under about after before than not without we you our
        your if but so also yes no more less very just still get got need needs should would could their
        them they he she his her my me i ok pls please thx abt kindly confirm clarify tell let know
        wondering hi hello thanks thank""".split()),
    "fr": set("""le la les l un une des du de d à au aux et ou est sont être par pour sur avec quel
        quelle quels quelles qui que qu quoi comment quand où combien peut peuvent doit doivent il elle
        ils elles ce cette ces dans en y a ont lors selon entre après avant pas ne se sa son ses leur
        leurs sans c etait était dont chez vers aussi encore déjà deja tous toutes tout nous vous on je
        mon ma mes notre nos votre vos si mais donc car ni oui non plus moins très tres fait faut faire
        être etre avoir été ete svp merci pourriez pourrais pouvez pourrait préciser preciser confirmer
        rappeler bonjour savoir dire""".split()),
}
FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


ANSWER_LANGUAGES = ("en", "fr")
SURE = 0.8


def question_language(text: str) -> str:
    """The language to answer in: English or French (English when unsure or another language).

    With no function word and no accent to go on ("decision 4/4", « delai ODJ »), French
    only when the character model is sure of it.
    """
    scores = _scores(text)
    if scores["en"] == scores["fr"] == 0:
        lang, probability = _identifier(ANSWER_LANGUAGES).classify(text)
        return "fr" if lang == "fr" and probability >= SURE else "en"
    lang = detect_language(text)
    return lang if lang in ANSWER_LANGUAGES else "en"


def detect_language(text: str, default: str = "en") -> str:
    """Return an ISO 639-1 code for ``text``; ``default`` when there is nothing to go on."""
    if not WORD.search(text):
        return default
    scores = _scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    others = [score for lang, score in scores.items() if lang != best]
    if scores[best] > max(others):
        return best
    return _langid(text) or default


def _scores(text: str) -> dict[str, int]:
    """Function words of each language, plus French accented letters."""
    words = [w.lower() for w in WORD.findall(text.replace("’", "'"))]
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    scores["fr"] += len(FRENCH_LETTERS.findall(text))
    return scores


def _langid(text: str) -> str | None:
    lang, _ = _identifier().classify(text)
    return lang if lang else None


@lru_cache(maxsize=2)
def _identifier(languages: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier
