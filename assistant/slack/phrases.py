"""The bot's own short sentences, in English and French (the question's language)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "looking": {"en": "Looking it up…", "fr": "Je cherche…"},
    "sorry": {"en": "Sorry, I could not answer this time. Please try again in a minute.",
              "fr": "Désolé, je n’ai pas pu répondre cette fois-ci. Réessayez dans une minute."},
    "busy": {"en": "I am answering many questions right now; please ask again in a minute.",
             "fr": "Je réponds à beaucoup de questions en ce moment ; reposez la vôtre dans une minute."},
    "empty": {"en": "Ask me a procedural question, for example: _What is the quorum?_",
              "fr": "Posez-moi une question de procédure, par exemple : _Quel est le quorum ?_"},
    "too_long": {"en": "That question is {length} characters long; please keep it under {limit}.",
                 "fr": "Cette question fait {length} caractères ; restez sous {limit}, s’il vous plaît."},
    "not_here": {"en": "Sorry, I only answer in the channels my administrators chose. "
                       "Send me a direct message instead.",
                 "fr": "Désolé, je ne réponds que dans les canaux choisis par mes administrateurs. "
                       "Écrivez-moi plutôt en message direct."},
    "writing": {"en": "_Writing… the sources follow once the answer is checked._",
                "fr": "_Rédaction en cours… les sources suivront une fois la réponse vérifiée._"},
    "sources": {"en": "Sources", "fr": "Sources"},
    "your_question": {"en": "Your question", "fr": "Votre question"},
    "asked_by": {"en": "Asked by {user} with /ask", "fr": "Question de {user} posée avec /ask"},
    "post": {"en": "Post to channel", "fr": "Publier dans le canal"},
    "helpful": {"en": "Helpful", "fr": "Utile"},
    "not_helpful": {"en": "Not helpful", "fr": "Pas utile"},
    "thanks": {"en": "Thanks for the feedback: 👍 {up} · 👎 {down}",
               "fr": "Merci pour votre avis : 👍 {up} · 👎 {down}"},
    "vote_saved": {"en": "Thanks, your {vote} is recorded.", "fr": "Merci, votre {vote} est enregistré."},
    "expired": {"en": "This answer is no longer available; please ask again with /ask.",
                "fr": "Cette réponse n’est plus disponible ; reposez la question avec /ask."},
    "continued": {"en": "(continued)", "fr": "(suite)"},
}


def say(key: str, lang: str, **values: object) -> str:
    """The phrase ``key`` in ``lang`` (English when the language is neither), filled in."""
    texts = PHRASES[key]
    return texts.get(lang, texts["en"]).format(**values)
