"""Follow-up questions -> standalone search queries, using the chat history.

"How much did it cost?" cannot be searched for on its own: the thing "it" names is in an earlier turn.
A chat model (Ollama) is asked to rewrite the follow-up; the embedded 270M base model gets the same job
as a few-shot completion. Either rewrite is kept only when it is made of words from the conversation (a
rewrite that brings in new words is the model guessing); otherwise the follow-up is searched together
with the earlier question's content words, which hybrid retrieval handles well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexical import english_stopwords

# Words that point back at an earlier turn. A question holding one of these, or one too short to stand on
# its own, is treated as a follow-up when there is history.
_REFERRING = {
    "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "he", "him", "his",
    "she", "her", "hers", "there", "then", "one", "ones", "former", "latter", "same", "other", "else",
    "first", "second", "third", "last", "next", "previous",
}  # fmt: skip
_OPENERS = re.compile(r"^(and|but|also|what about|how about|so|then)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w$%.'-]+")
_QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "much", "many",
    "did", "does", "do", "is", "are", "was", "were", "about",
}  # fmt: skip


def _is_stopword(word: str) -> bool:
    return word in english_stopwords() or word in _QUESTION_WORDS


REWRITE_SHOTS = (
    (
        "Who designed the new bridge in Lyon?",
        "How much did it cost?",
        "How much did the new bridge in Lyon cost?",
    ),
    (
        "Which companies did Apple buy in 2020?",
        "and the second one?",
        "Which was the second company Apple bought in 2020?",
    ),
)

REWRITE_INSTRUCTIONS = (
    "Rewrite the user's last question so it can be understood without the conversation: replace words "
    "like it, they, that or 'the second one' with what they refer to. Use only words from the "
    "conversation. Reply with the rewritten question alone, no explanation."
)


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what retrieval and evidence selection use
    rewritten: bool  # False when the question stood on its own
    how: str = ""  # "model" or "history terms" when rewritten


def words(text: str) -> list[str]:
    """Lower-cased words without possessive 's, so "Japan's" and "Japan" match."""
    out = []
    for raw in _WORD.findall(text.replace("’", "'")):
        w = raw.strip(".'-").casefold().removesuffix("'s")
        if w:
            out.append(w)
    return out


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if not _is_stopword(w) and w not in _REFERRING]


def looks_like_follow_up(question: str) -> bool:
    tokens = words(question)
    return (
        bool(_OPENERS.match(question.strip()))
        or any(t in _REFERRING for t in tokens)
        or len(content_words(question)) < 2
    )


def completion_prompt(question: str, history: list[tuple[str, str]]) -> str:
    """The few-shot rewrite prompt for a base model (it continues the pattern)."""
    shots = "".join(
        f"Earlier question: {earlier}\nFollow-up: {follow}\nStandalone question: {standalone}\n\n"
        for earlier, follow, standalone in REWRITE_SHOTS
    )
    return f"{shots}Earlier question: {history[-1][0]}\nFollow-up: {question}\nStandalone question:"


def chat_messages(question: str, history: list[tuple[str, str]]) -> list[dict[str, str]]:
    conversation = "\n".join(f"User: {u}\nAssistant: {a}" for u, a in history[-3:])
    return [
        {"role": "system", "content": REWRITE_INSTRUCTIONS},
        {"role": "user", "content": f"{conversation}\nUser: {question}\n\nRewritten question:"},
    ]


def acceptable_rewrite(rewrite: str, question: str, history: list[tuple[str, str]]) -> bool:
    """A rewrite must keep the follow-up's content words, add some from the history, and invent none."""
    allowed = set(words(question)) | {w for turn in history[-3:] for w in words(" ".join(turn))}
    new = content_words(rewrite)
    if not new or len(rewrite) > 300:
        return False
    if any(w not in allowed and not _is_stopword(w) for w in new):
        return False
    kept = set(content_words(question)) <= set(words(rewrite))
    return kept and bool(set(new) - set(words(question)))


def history_terms_query(question: str, history: list[tuple[str, str]]) -> str:
    """The follow-up plus the earlier question's content words that it lacks."""
    have = set(words(question))
    extra = [w for w in dict.fromkeys(content_words(history[-1][0])) if w not in have]
    return f"{question} {' '.join(extra)}".strip()


def clean_rewrite(text: str) -> str:
    text = text.strip().splitlines()[0] if text.strip() else ""
    return text.strip().strip('"“”').strip()
