"""Korean text as a Korean speaker reads it aloud: one written word in, its spoken words out.

Sino-Korean numbers (일, 이, 삼) for money, percent, dates, minutes and seconds, units and
plain numbers; native numbers (한, 두, 세) before the counters speakers use them with (시, 개,
명, 살, 번째, ...) below 100; phone numbers digit by digit; Latin capitals spelled with Korean
letter names (AI -> 에이아이) unless they are a known word (NASA -> 나사).
"""

from __future__ import annotations

import re

from num2words import num2words

_DIGITS = "영일이삼사오육칠팔구"
_PHONE_DIGITS = "공일이삼사오육칠팔구"
_NATIVE_ONES = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"]
_NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"]
# Months read with a sound change: 6월 -> 유월, 10월 -> 시월.
_MONTHS = {6: "유", 10: "시"}

# Counters read with native numbers below 100 (세 개, 두 시, 스무 살); longest first.
NATIVE_COUNTERS = (
    "번째", "시간", "마리", "가지", "시", "개", "명", "살", "잔", "권", "달", "곳", "벌",
    "병", "장", "채", "켤레", "그루", "군데",
)  # fmt: skip
# 시 counts hours only when a particle or nothing follows (2시에, 2시까지; not 3시즌).
_AFTER_HOUR = frozenset("에부까쯤반경의은는이가을를로와과도만정입예")
# Sino-Korean counters and units, with how a unit written in Latin letters is said.
SINO_UNITS = {
    "%": "퍼센트",
    "℃": "도",
    "°C": "도",
    "°": "도",
    "도": "도",
    "km/h": "킬로미터",
    "km": "킬로미터",
    "cm": "센티미터",
    "mm": "밀리미터",
    "m": "미터",
    "kg": "킬로그램",
    "mg": "밀리그램",
    "g": "그램",
    "ml": "밀리리터",
    "mL": "밀리리터",
    "L": "리터",
    "l": "리터",
    "GB": "기가바이트",
    "MB": "메가바이트",
    "TB": "테라바이트",
    "원": "원",
    "달러": "달러",
    "엔": "엔",
    "유로": "유로",
    "분": "분",
    "초": "초",
    "년": "년",
    "월": "월",
    "일": "일",
    "주": "주",
    "층": "층",
    "회": "회",
    "호": "호",
    "번": "번",
    "점": "점",
    "배": "배",
    "세": "세",
    "위": "위",
    "인분": "인분",
    "개월": "개월",
}
_CURRENCY_SIGNS = {"₩": "원", "$": "달러", "€": "유로", "£": "파운드", "¥": "엔"}
_SYMBOLS = {
    "&": "앤드",
    "+": "플러스",
    "@": "앳",
    "%": "퍼센트",
    "\u00d7": "곱하기",
}  # \u00d7: the multiplication sign
_LETTERS = {
    "A": "에이", "B": "비", "C": "씨", "D": "디", "E": "이", "F": "에프", "G": "지",
    "H": "에이치", "I": "아이", "J": "제이", "K": "케이", "L": "엘", "M": "엠", "N": "엔",
    "O": "오", "P": "피", "Q": "큐", "R": "알", "S": "에스", "T": "티", "U": "유", "V": "브이",
    "W": "더블유", "X": "엑스", "Y": "와이", "Z": "지",
}  # fmt: skip
# Capitals read as words, not letter by letter.
KNOWN_WORDS = {
    "NASA": "나사",
    "UNESCO": "유네스코",
    "UNICEF": "유니세프",
    "NATO": "나토",
    "FIFA": "피파",
    "COVID": "코비드",
    "OPEC": "오펙",
    "IKEA": "이케아",
    "LEGO": "레고",
    "KOSPI": "코스피",
    "KOSDAQ": "코스닥",
    "OK": "오케이",
}

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_ALTERNATIVES = "|".join(
    re.escape(u) for u in sorted({*SINO_UNITS, *NATIVE_COUNTERS}, key=len, reverse=True)
)
_PHONE = re.compile(r"(?<!\d)(0\d{1,2})-(\d{3,4})-(\d{4})(?!\d)")
_DATE = re.compile(r"(?<!\d)(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)\.?")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_RANGE = re.compile(
    rf"(?<![\d.,])({_NUMBER})\s*[~\u223c\u301c-]\s*({_NUMBER})({_UNIT_ALTERNATIVES})?"
)
_MONEY_SIGN = re.compile(rf"([₩$€£¥])\s*(-?)({_NUMBER})")
# A minus sign only where a word starts (GPT-4 is not minus four).
_QUANTITY = re.compile(
    rf"(?:(?<![\w.,])(-))?(?<![\d.,])({_NUMBER})(?:({_UNIT_ALTERNATIVES})(?![A-Za-z]))?"
)
_CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]+(?![a-z])")
_TILDE = re.compile("\\s*[~\u223c\u301c]\\s*")  # ~, tilde operator, wave dash


def sino(number: str) -> str:
    """'3,500' -> 삼천오백, '3.14' -> 삼 점 일사, '-5' -> 마이너스 오 (Sino-Korean)."""
    negative = number.startswith("-")
    whole, _, fraction = number.lstrip("-").replace(",", "").partition(".")
    if len(whole) > 20:  # beyond 해 (10^20): read it digit by digit
        words = "".join(_DIGITS[int(d)] for d in whole)
    else:
        words = num2words(int(whole), lang="ko")
    if fraction:
        words += " 점 " + "".join(_DIGITS[int(d)] for d in fraction)
    return f"마이너스 {words}" if negative else words


def native(value: int) -> str:
    """The native number's form before a counter, 1 to 99 (한, 두, 스무, 서른세)."""
    if value == 20:
        return "스무"
    return _NATIVE_TENS[value // 10] + _NATIVE_ONES[value % 10]


def quantity(number: str, unit: str = "") -> str:
    """A number read with its counter or unit: 두 시, 세 개, 삼천오백 원, 십 퍼센트."""
    plain = number.replace(",", "")
    if unit in NATIVE_COUNTERS and plain.isdigit() and 0 < int(plain) < 100:
        value = int(plain)
        if unit == "번째" and value == 1:
            return "첫 번째"
        return f"{native(value)} {unit}"
    if unit == "월" and plain.isdigit() and int(plain) in _MONTHS:
        return f"{_MONTHS[int(plain)]} 월"
    whole, _, cents = plain.lstrip("-").partition(".")
    if unit == "달러" and len(cents) == 2 and not plain.startswith("-"):
        dollars = f"{sino(whole)} 달러"
        return f"{dollars} {sino(cents.lstrip('0'))} 센트" if int(cents) else dollars
    said = sino(number)
    if not unit:
        return said
    if unit == "km/h":
        return f"시속 {said} 킬로미터"
    return f"{said} {SINO_UNITS.get(unit, unit)}"


def _phone(match: re.Match) -> str:
    return " ".join("".join(_PHONE_DIGITS[int(d)] for d in group) for group in match.groups())


def _date(match: re.Match) -> str:
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group()
    return f"{quantity(str(year), '년')} {quantity(str(month), '월')} {quantity(str(day), '일')}"


def _time(match: re.Match) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 24 or minute > 59:
        return match.group()
    said = quantity(str(hour), "시") if hour else "영 시"
    return f"{said} {quantity(str(minute), '분')}" if minute else said


def _range(match: re.Match) -> str:
    low, high, unit = match.group(1), match.group(2), match.group(3) or ""
    if unit in NATIVE_COUNTERS:
        return f"{quantity(low, unit)}에서 {quantity(high, unit)}"
    return f"{sino(low)}에서 {quantity(high, unit)}"


def _money_sign(match: re.Match) -> str:
    return quantity(match.group(2) + match.group(3), _CURRENCY_SIGNS[match.group(1)])


def _quantity(match: re.Match) -> str:
    number = ("-" if match.group(1) else "") + match.group(2)
    unit = match.group(3) or ""
    after = match.string[match.end() : match.end() + 1]
    if unit == "시" and "가" <= after <= "힣" and after not in _AFTER_HOUR:
        return " " + sino(number) + unit
    return " " + quantity(number, unit)


def _capitals(match: re.Match) -> str:
    word = match.group()
    if word in KNOWN_WORDS:
        return KNOWN_WORDS[word]
    return "".join(_LETTERS[ch] for ch in word)


def say(word: str) -> str:
    """One written word as it is spoken (several words when numbers or units expand)."""
    # Spaces go before what is read out, never after: a particle stays on its word (원을).
    text = _PHONE.sub(lambda m: f" {_phone(m)}", word.lstrip("#"))
    text = _DATE.sub(lambda m: f" {_date(m)}", text)
    text = _TIME.sub(lambda m: f" {_time(m)}", text)
    text = _RANGE.sub(lambda m: f" {_range(m)}", text)
    text = _MONEY_SIGN.sub(lambda m: f" {_money_sign(m)}", text)
    text = _QUANTITY.sub(_quantity, text)
    text = _TILDE.sub("에서 ", text)
    text = _CAPITALS.sub(_capitals, text)
    for symbol, said in _SYMBOLS.items():
        text = text.replace(symbol, f" {said} ")
    return " ".join(_tidy(text).split())


def _tidy(text: str) -> str:
    """Punctuation back onto the words beside it: '( 세 개 )' -> '(세 개)'."""
    text = re.sub(r"\s+([,.!?;:)\]}])", r"\1", text)
    return re.sub(r"([(\[{])\s+", r"\1", text)
