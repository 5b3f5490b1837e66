"""English text as an English speaker reads it aloud: one written word in, its spoken words out.

num2words reads the numbers (cardinals, ordinals, years); this module decides which reading a
written form asks for: money ($3.50 -> three dollars and fifty cents), percent, years (2026 ->
twenty twenty-six), times (2:30 pm -> two thirty p m), dates, units, ordinals after a month
name (December 7 -> December seventh), acronyms (spelled, unless pronounceable or known) and
symbols.
"""

from __future__ import annotations

import re
from decimal import Decimal

from num2words import num2words

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS} | {"sept": "september"}
_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₩": ("won", "won", "", ""),
}
# Units after a number: (singular, plural).
UNITS = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "gb": ("gigabyte", "gigabytes"),
    "mb": ("megabyte", "megabytes"),
    "tb": ("terabyte", "terabytes"),
    "°c": ("degree Celsius", "degrees Celsius"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "°f": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "%": ("percent", "percent"),
    "x": ("times", "times"),
    "hrs": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "sec": ("second", "seconds"),
}
_LETTERS = {
    "a": "ay", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "eff", "g": "gee",
    "h": "aitch", "i": "eye", "j": "jay", "k": "kay", "l": "el", "m": "em", "n": "en",
    "o": "oh", "p": "pee", "q": "cue", "r": "ar", "s": "ess", "t": "tee", "u": "you",
    "v": "vee", "w": "double-you", "x": "ex", "y": "why", "z": "zee",
}  # fmt: skip
# Capitals read as words; and short ones that look pronounceable but are spelled.
KNOWN_WORDS = {
    "NASA": "nasa", "NATO": "nato", "UNESCO": "unesco", "UNICEF": "unicef", "FIFA": "fifa",
    "COVID": "covid", "OPEC": "opec", "IKEA": "ikea", "LEGO": "lego", "LASER": "laser",
    "RADAR": "radar", "SCUBA": "scuba", "GIF": "gif", "JPEG": "jay peg", "OK": "okay",
    "AM": "ay em", "PM": "pee em", "ASAP": "ay ess ay pee",
}  # fmt: skip
SPELLED = frozenset(
    {"CEO", "USA", "DIY", "IOU", "EU", "UI", "API", "URL", "SEO", "AI", "UFO", "IO", "ETA",
     "FAQ", "UX", "OS", "IT", "TV", "PC", "US", "UK", "VIP", "ID", "EV", "HR", "AR", "VR"}
)  # fmt: skip
_SYMBOLS = {
    "&": "and",
    "+": "plus",
    "=": "equals",
    "@": "at",
    "%": "percent",
    "\u00d7": "times",
}  # \u00d7: the multiplication sign
_VOWELS = set("AEIOUY")
# Onsets English words begin with: an all-capitals word starting otherwise is spelled.
_ONSETS = (
    (
        "bl br ch cl cr dr fl fr gl gr kn ph pl pr qu sc sh sk sl sm sn sp st sw th tr tw wh wr "
        "str scr spr spl thr shr"
    )
    .upper()
    .split()
)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_UNIT_ALTERNATIVES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# Quotes and brackets (curly ones too: \u2018-\u201d) around a word, and closing punctuation.
_EDGE = re.compile("^([\"'(\\[{\u201c\u2018]*)(.*?)([\"')\\]}\u201d\u2019.,!?;:]*)$", re.DOTALL)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONEY = re.compile(rf"^(-)?([$€£¥₩])({_NUMBER})(k|m|bn|million|billion)?$", re.IGNORECASE)
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)
_RANGE = re.compile(rf"^({_NUMBER})[~\u2013-]({_NUMBER})({_UNIT_ALTERNATIVES})?$", re.IGNORECASE)
_QUANTITY = re.compile(rf"^(-)?({_NUMBER})({_UNIT_ALTERNATIVES})?$", re.IGNORECASE)
_YEAR = re.compile(r"^(1[1-9]\d\d|20\d\d)(s)?$")
_CAPITALS = re.compile(r"^([A-Z]{2,})(s)?$")
_SCALES = {
    "k": "thousand",
    "m": "million",
    "bn": "billion",
    "million": "million",
    "billion": "billion",
}
_HALVES = {"am": "ay em", "a.m": "ay em", "pm": "pee em", "p.m": "pee em"}


def cardinal(number: str) -> str:
    """'3,500' -> three thousand five hundred; '-5' -> minus five; '3.14' -> three point one
    four."""
    value = Decimal(number.replace(",", ""))
    said = num2words(value, lang="en")
    return said.replace(",", "")


def year(value: int) -> str:
    """2026 -> twenty twenty-six, 2000 -> two thousand, 1905 -> nineteen oh-five."""
    return num2words(value, lang="en", to="year")


def ordinal(value: int) -> str:
    return num2words(value, lang="en", to="ordinal")


def spell(letters: str) -> str:
    """'CEO' -> see ee oh."""
    return " ".join(_LETTERS[ch] for ch in letters.lower())


def is_pronounceable(word: str) -> bool:
    """Whether an all-capitals word reads as a word (FREE, SALE) rather than letters (FBI)."""
    if len(word) < 3 or word in SPELLED:
        return False
    if not any(ch in _VOWELS for ch in word):
        return False
    if re.search(r"[^AEIOUY]{3,}", word) or re.search(r"[AEIOU]{3,}", word):
        return False
    first_vowel = next(i for i, ch in enumerate(word) if ch in _VOWELS)
    return first_vowel <= 1 or word[:first_vowel] in _ONSETS


def quantity(number: str, unit: str = "") -> str:
    """A number with its unit: five kilometers, one meter, ten percent."""
    said = cardinal(number)
    if not unit:
        return said
    singular, plural = UNITS[unit.lower()]
    one = number.lstrip("-") == "1"
    return f"{said} {singular if one else plural}"


def money(sign: str, number: str, scale: str = "") -> str:
    """$3.50 -> three dollars and fifty cents; $1 -> one dollar; $5M -> five million dollars."""
    one, many, cent, cents = _CURRENCIES[sign]
    plain = number.replace(",", "")
    if scale:
        return f"{cardinal(plain)} {_SCALES[scale.lower()]} {many}"
    whole, _, fraction = plain.partition(".")
    whole = whole or "0"
    said = f"{cardinal(whole)} {one if whole == '1' else many}"
    if fraction and cent:
        hundredths = int((fraction + "0")[:2])
        if hundredths:
            small = cent if hundredths == 1 else cents
            return f"{said} and {cardinal(str(hundredths))} {small}"
        return said
    if fraction:
        return f"{cardinal(plain)} {many}"
    return said


def _time(match: re.Match) -> str:
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if hour > 24 or minute > 59:
        return cardinal(match.group(1)) + " " + cardinal(match.group(2))
    if minute == 0:
        said = f"{cardinal(str(hour))} o'clock" if not half else cardinal(str(hour))
    elif minute < 10:
        said = f"{cardinal(str(hour))} oh {cardinal(str(minute))}"
    else:
        said = f"{cardinal(str(hour))} {cardinal(str(minute))}"
    if half:
        said += " " + ("ay em" if half.lower().startswith("a") else "pee em")
    return said


def _date(year_: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{MONTHS[month - 1].capitalize()} {ordinal(day)}, {year(year_)}"


def _core(word: str, *, previous: str) -> str | None:
    """The spoken form of a word stripped of edge punctuation; None: say it as written."""
    if match := _TIME.match(word):
        return _time(match)
    if match := _ISO_DATE.match(word):
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _US_DATE.match(word):
        return _date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
    if match := _MONEY.match(word):
        said = money(match.group(2), match.group(3), match.group(4) or "")
        return f"minus {said}" if match.group(1) else said
    if match := _ORDINAL.match(word):
        return ordinal(int(match.group(1)))
    if match := _YEAR.match(word):
        said = year(int(match.group(1)))
        if match.group(2):  # the 1990s -> nineteen nineties
            said = said[:-1] + "ies" if said.endswith("y") else said + "s"
        return said
    if match := _RANGE.match(word):
        return f"{cardinal(match.group(1))} to {quantity(match.group(2), match.group(3) or '')}"
    if match := _QUANTITY.match(word):
        number = ("-" if match.group(1) else "") + match.group(2)
        after_month = previous in (*MONTHS, *_MONTH_ABBREVIATIONS)
        if after_month and not match.group(3) and number.isdigit() and 1 <= int(number) <= 31:
            return ordinal(int(number))
        return quantity(number, match.group(3) or "")
    if word.lower() in _HALVES and previous[-1:].isdigit():
        return _HALVES[word.lower()]
    if word.lower() in UNITS and previous[-1:].isdigit():
        singular, plural = UNITS[word.lower()]
        return singular if previous == "1" else plural
    if word in KNOWN_WORDS:
        return KNOWN_WORDS[word]
    if match := _CAPITALS.match(word):
        letters, plural = match.group(1), match.group(2)
        if letters in KNOWN_WORDS:
            return KNOWN_WORDS[letters] + (plural or "")
        if is_pronounceable(letters) and not plural:
            return word.lower()
        return spell(letters) + ("s" if plural else "")
    if word in _SYMBOLS:
        return _SYMBOLS[word]
    if word.startswith("#"):  # a hashtag is read without its mark; #1 is number one
        rest = word[1:]
        return f"number {cardinal(rest)}" if rest.isdigit() else rest
    if "&" in word or "+" in word:
        parts = [p for p in re.split(r"([&+])", word) if p]
        return " ".join(_SYMBOLS.get(p) or _core(p, previous=previous) or p for p in parts)
    return None


def say(word: str, *, previous: str = "") -> str:
    """One written word as it is spoken. `previous` (the word before, as `plain` gives it)
    tells a day after a month name (December 7 -> seventh) and a unit or am/pm after a
    number (3 kg -> kilograms)."""
    match = _EDGE.match(word)
    lead, core, trail = match.groups() if match else ("", word, "")
    if not core:
        return word
    said = _core(core, previous=previous)
    if said is None:
        return word
    return f"{lead}{said}{trail}"


def plain(word: str) -> str:
    """`word` as `say` expects it for `previous`: lower case, no edge punctuation."""
    match = _EDGE.match(word)
    return (match.group(2) if match else word).lower()
