"""What a person typed, turned into our own small query language before any backend sees it.

Words are OR-ed and ranked; "quoted phrases" must appear; -words must not. Only runs of letters
and digits survive, so FTS operators, ``*``, ``NEAR``, SQL fragments, unbalanced quotes and emoji
are plain text or nothing: user text never reaches a MATCH expression or a tsquery as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_WORDS = 32
MAX_CHARACTERS = 2000
MAX_WORD_LENGTH = 60
# Suggestions as someone types: at most this many words, each the beginning of a title word
# and at least this long (one letter would match half the index).
MAX_PREFIXES = 6
MIN_PREFIX_LENGTH = 2

# Lucene's English stop words: the list Anserini and Elasticsearch's "english" analyser use.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)

_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    """A query in our own syntax: every string here is a run of letters or digits."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def positive_words(self) -> tuple[str, ...]:
        """Every word that can make an entry match, phrase words included, once each."""
        seen: dict[str, None] = dict.fromkeys(self.terms)
        for phrase in self.phrases:
            seen.update(dict.fromkeys(w for w in phrase if w not in STOP_WORDS))
        return tuple(seen)

    @property
    def is_empty(self) -> bool:
        return not self.positive_words and not self.phrases


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if len(w) <= MAX_WORD_LENGTH]


def parse(text: str) -> ParsedQuery:
    """Parse anything at all into a ParsedQuery; never raises."""
    text = text.replace("\x00", " ")
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    notes: list[str] = []
    if len(text) > MAX_CHARACTERS:
        text = text[:MAX_CHARACTERS]
        notes.append(f"Only the first {MAX_CHARACTERS:,} characters of your search were used.")
    count = 0
    for match in _PART.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            words = _words(quoted)
            if not words:
                continue
            if negated:
                excluded.extend(words)
            elif len(words) == 1:
                terms.extend(words)
            else:
                phrases.append(tuple(words[:MAX_WORDS]))
            count += len(words)
        elif bare.startswith("-") and len(bare) > 1:
            excluded.extend(_words(bare[1:]))
        else:
            words = _words(bare)
            terms.extend(words)
            count += len(words)
        if count > MAX_WORDS:
            notes.append(f"Only the first {MAX_WORDS} words of your search were used.")
            break
    kept = [t for t in dict.fromkeys(terms) if t not in STOP_WORDS][:MAX_WORDS]
    return ParsedQuery(
        terms=tuple(kept),
        phrases=tuple(dict.fromkeys(phrases))[:4],
        excluded=tuple(dict.fromkeys(excluded))[:MAX_WORDS],
        notes=tuple(notes),
    )


def explain_empty(text: str, query: ParsedQuery) -> str:
    """The clear message shown when a query has nothing to look for."""
    if not text.strip():
        return "Type a word or two to search for."
    if query.excluded and not query.positive_words:
        return "Add a word to search for, not only words to leave out."
    if _words(text):
        return "Those words are too common to search for on their own: add a more specific one."
    return "Search for words or numbers: your search had neither."


def prefixes(text: str) -> tuple[str, ...]:
    """The words of a half-typed search, each to be matched against the beginnings of title
    words: lower-cased runs of letters and digits of MIN_PREFIX_LENGTH or more, at most
    MAX_PREFIXES of them, once each. Finished stop words are left out ("damp and mo" looks
    for "damp" and "mo"); the last word stays whatever it is, since it may be the start of a
    longer one ("the" of "theft"). Never raises."""
    found: list[str] = []
    matches = list(_WORD.finditer(text[:MAX_CHARACTERS]))
    for number, match in enumerate(matches):
        word = match.group().lower()
        last = number == len(matches) - 1 and match.end() == len(text)
        if not MIN_PREFIX_LENGTH <= len(word) <= MAX_WORD_LENGTH:
            continue
        if word in STOP_WORDS and not last:
            continue
        if word not in found:
            found.append(word)
    return tuple(found[:MAX_PREFIXES])
