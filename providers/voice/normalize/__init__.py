"""Words read right: what a voice is asked to say, and the written words' timings back.

The voice speaks the spoken form (3,500원 -> 삼천오백 원, $3.50 -> three dollars and fifty
cents, the user's pronunciations first); captions keep the written form. Each written word
becomes zero or more spoken words, the voice times the spoken words, and each written word
then spans the times of the spoken words it became. Plain Python: no Django.
"""

from providers.voice.normalize.mapping import (
    Pronunciation,
    SpokenText,
    to_spoken,
    written_timings,
)

__all__ = ["Pronunciation", "SpokenText", "to_spoken", "written_timings"]
