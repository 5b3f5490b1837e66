"""Speech analysis for practising a line: plain Python, numpy and FFmpeg, no Django, no app.

`speech.analyze.compare(reference=..., recording=..., words=...)` is the entry point: it
decodes both recordings (audio.py), finds speech by energy and computes MFCC features
(features.py), aligns them with banded DTW (dtw.py), follows pitch with YIN (pitch.py), and
scores words, timing, intonation and expressiveness (scoring.py, prosody.py).
"""
