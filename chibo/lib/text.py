"""Vietnamese text: names sorted as a cell's lists are, words compared without diacritics."""

import unicodedata

# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks, in the order dictionaries use: none, huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


def _letter_key(char):
    parts = unicodedata.normalize("NFD", char.lower())
    tone = 0
    base = ""
    for part in parts:
        if part in _TONES:
            tone = _TONES[part]
        else:
            base += part
    base = unicodedata.normalize("NFC", base)
    rank = _RANK.get(base)
    if rank is None:
        return f"~{base}", tone
    return chr(0x41 + rank), tone


def _word_key(word):
    letters = [_letter_key(char) for char in word]
    return (
        "".join(letter for letter, _tone in letters)
        + "/"
        + "".join(str(tone) for _letter, tone in letters)
    )


def vietnamese_sort_key(full_name: str) -> str:
    """A text key that orders names by given name, then family and middle names.

    ``Nguyễn Văn An`` sorts before ``Bế Thị Bình``: the given name (the last
    word) comes first, letters follow the Vietnamese alphabet (đ after d, ư
    after u), and tone marks break ties the way dictionaries do.
    """
    words = full_name.split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    return " ".join(_word_key(word) for word in ordered)


def fold(text) -> str:
    """Without case, diacritics or extra spaces, to compare: "Tổ  Đảng" → "to dang".

    A search for "tuan" finds "Tuấn", and an imported header "Họ và tên"
    matches "ho va ten".
    """
    decomposed = unicodedata.normalize("NFD", str(text or "").casefold().replace("đ", "d"))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(kept.split())


# Quotation marks a title may already carry: typographic, straight, guillemets.
QUOTES = '“”"«»„‟'


def quoted(text) -> str:
    """A title in quotation marks, unless it already has some: never a quote in a quote.

    "Học tập Chỉ thị 05" → "“Học tập Chỉ thị 05”"; a topic that quotes a
    slogan ("Cuộc thi “Tìm hiểu lịch sử Đảng”") is written as it is, rather
    than as “Cuộc thi “Tìm hiểu lịch sử Đảng””.
    """
    text = str(text or "").strip()
    if not text or any(mark in text for mark in QUOTES):
        return text
    return f"“{text}”"


def starts_with_words(text, words) -> bool:
    """Whether ``text`` begins with ``words``, without case or diacritics ("Báo cáo viên…")."""
    return fold(text).startswith(fold(words))
