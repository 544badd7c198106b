"""Document units that rules share must be exactly what their definitions say: rules
dismiss a document from them, so a word missing here is a finding missed."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document

_WORD = re.compile(r"\w+")
# words, punctuation that wraps them, and characters that do not
_PIECES = st.sampled_from(
    ["word", "Año", "l'été", "co-op", "it’s", "x_y", "42", "3.5", "“", "”", '"', "'", ",", ".", "(", ")", "…", "—", "-",
     "/", "*", "«", "»", " ", " ", "\n", "\u00a0", "½", "١٢", "_"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_vocabulary_is_every_regex_word(text):
    doc = Document(text)
    assert doc.vocabulary == frozenset(_WORD.findall(text))
    assert doc.vocabulary_lower == frozenset(w.lower() for w in _WORD.findall(text))
