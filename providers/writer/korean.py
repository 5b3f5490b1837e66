"""Korean particles (josa) that change with the last sound of the word before them."""

from __future__ import annotations

_FIRST, _LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among final consonants
# Final sound of each digit when read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_HAS_FINAL = {
    "0": 21,
    "1": 8,
    "2": 0,
    "3": 16,
    "4": 0,
    "5": 0,
    "6": 1,
    "7": 8,
    "8": 8,
    "9": 0,
}
# Latin words ending in these letters usually end on a consonant when read in Korean.
_LATIN_FINALS = {"l": _RIEUL, "m": 16, "n": 4, "k": 1, "p": 17, "t": 7, "b": 17, "g": 21}

# particle code -> (after a final consonant, after a vowel)
PARTICLES: dict[str, tuple[str, str]] = {
    "은는": ("은", "는"),
    "이가": ("이", "가"),
    "을를": ("을", "를"),
    "과와": ("과", "와"),
    "이에요": ("이에요", "예요"),
    "이라": ("이라", "라"),
    "이랑": ("이랑", "랑"),
    "으로": ("으로", "로"),
}


def final_consonant(word: str) -> int:
    """Index of the final consonant of the last readable character (0: ends on a vowel)."""
    for ch in reversed(word.strip()):
        code = ord(ch)
        if _FIRST <= code <= _LAST:
            return (code - _FIRST) % 28
        if ch.isdigit():
            return _DIGIT_HAS_FINAL.get(ch, 0)
        if ch.isalpha():
            return _LATIN_FINALS.get(ch.lower(), 0)
    return 0


def attach(word: str, code: str) -> str:
    """`word` followed by the particle `code` ("은는", "을를", ...) in its right form."""
    with_final, without = PARTICLES[code]
    final = final_consonant(word)
    if code == "으로":
        # ㄹ behaves like a vowel here: 서울로, not 서울으로.
        return word + (without if final in (0, _RIEUL) else with_final)
    return word + (with_final if final else without)
