"""The library's Russian search with morphology: the competence market's lemmatizer
(``market.text``: pymorphy3 lemmas, ё folded, filler words dropped) and its highlighting. A
resource keeps the lemmas of its words in ``search_lemmas`` (« a b c »); a query matches a
resource that has any of the query's lemmas or a lemma of their family (``market.text.family_stem``:
«наставничество» finds «наставник»), ranked by how many it has, a family match less than the
lemma itself (a title's count more)."""

from __future__ import annotations

from nastavnik.market.text import lemmas


def index_text(*texts: str) -> str:
    """The stored index of a resource: its distinct lemmas between spaces."""
    found = sorted({word for text in texts for word in lemmas(text or "")})
    return f" {' '.join(found)} " if found else ""


def query_lemmas(query: str) -> list[str]:
    return list(dict.fromkeys(lemmas(query or "")))
