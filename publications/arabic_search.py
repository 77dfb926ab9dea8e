"""Arabic spelling variants folded together for search (PostgreSQL only).

The same Arabic word is written in several ways: with or without its short vowels
and other marks (تشكيل), stretched with tatweel (ـ), with a hamza on or under the
alef or without (أ إ آ ا), with taa marbuta or haa at the end (ة ه). And the plural
of many nouns is "broken", a pattern over the root rather than an ending that a
stemmer removes: الضرر, "the harm", has the plural الأضرار. PostgreSQL's Arabic
stemmer handles the marks but neither the other spellings nor broken plurals, so
"الحد من الضرر" (harm reduction) did not find "الحد من الأضرار".

`inpud_arabic_normalise(text)`, a SQL function made by migration, folds both the
stored text and the searched text the same way before PostgreSQL's Arabic
configuration sees them:

1. drops the marks (U+064B–U+065F, U+0670) and tatweel (U+0640);
2. writes every alef with a hamza or madda as bare alef (أ إ آ ٱ → ا), the hamza
   seats ؤ → و and ئ → ي, alef maqsura ى → ي and taa marbuta ة → ه;
3. folds the commonest broken plural, أفعال, to its singular فعل, with or without
   the article and a joined preposition (الأضرار → الضرر, للأطفال → للطفل).

Folding both sides the same way means a rare false match (a five-letter word of
that shape that is no plural) costs a little precision, never a missed result.
"""

from django.db.models import Func, TextField

FUNCTION = "inpud_arabic_normalise"

# Arabic letters, hamza to yaa (U+0621–U+064A): words are runs of these.
_LETTER = "\u0621-\u064a"

CREATE_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION {FUNCTION}(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(
    translate(
      regexp_replace(value, '[\u064b-\u065f\u0670\u0640]', '', 'g'),
      'أإآٱؤئىة', 'ااااوييه'
    ),
    '(^|[^{_LETTER}])(وال|فال|بال|كال|لل|ال)?ا([{_LETTER}])([{_LETTER}])ا([{_LETTER}])(?=[^{_LETTER}]|$)',
    '\1\2\3\4\5',
    'g'
  )
$$;
"""

DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}(text);"


class ArabicNormalise(Func):
    function = FUNCTION
    output_field = TextField()
