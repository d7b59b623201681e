"""Hypothesis strategies for text a user can throw at the app: any Unicode, weighted towards the troublemakers."""

from __future__ import annotations

from hypothesis import strategies as st

#: quotes and delimiters of every format, line breaks, NUL and other controls, unpaired surrogates,
#: right-to-left marks and overrides, emoji (astral), a BOM, noncharacters, combining marks
TROUBLE = list(
    ",;\t\"'|\\<>&\n\r\x00\x01\x07\x0b\x0c\x1b\x7f\x85\x9f"
    "\ud800\udc80\udfff\u200e\u200f\u202e\u2066\u2028\u2029\ufeff\ufffe\uffff\u0301"
    "\u05e9\u05dc\u05d5\u05dd\u0645\u0631\u062d\u0628\u0627\U0001f600\U0001f3db\U0010fffd éß"
)

any_char = st.one_of(st.characters(exclude_categories=[]), st.sampled_from(TROUBLE))
#: any text at all: every category, unpaired surrogates included
any_text = st.text(alphabet=any_char, max_size=40)
#: text that can be written to a UTF-8 file (no unpaired surrogates), otherwise anything
file_text = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from([c for c in TROUBLE if not 0xD800 <= ord(c) <= 0xDFFF]),
    ),
    max_size=40,
)
