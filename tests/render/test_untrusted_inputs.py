import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from render import inspection, runner
from render.inspection import UnusableMedia, inspect_media


class _Server:
    """A local HTTP server that counts the requests made to it."""

    def __init__(self):
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.paths.append(self.path)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    started = _Server()
    yield started
    started.close()


def playlist(tmp_path: Path, url: str, name: str = "clip.mp4") -> Path:
    """An HLS playlist disguised as a video: its segment lives on another server."""
    path = tmp_path / name
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"#EXTINF:2.0,\n{url}/segment.ts\n#EXT-X-ENDLIST\n"
    )
    return path


def test_a_playlist_upload_never_makes_ffprobe_fetch_a_url(tmp_path, server):
    path = playlist(tmp_path, server.url)

    with pytest.raises(UnusableMedia):
        inspect_media(path)

    assert server.paths == []


def test_ffmpeg_renders_read_inputs_from_local_files_only(tmp_path, server):
    path = playlist(tmp_path, server.url)

    with pytest.raises(runner.RenderError):
        runner.run_ffmpeg(
            ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], step="clip"
        )

    assert server.paths == []


def _guards_every_input(argv: list[str], *, demuxers: bool) -> bool:
    for at, arg in enumerate(argv):
        if arg != "-i":
            continue
        before = argv[:at]
        if (
            "-protocol_whitelist" not in before
            or before[before.index("-protocol_whitelist") + 1] != "file"
        ):
            return False
        if demuxers and "-format_whitelist" not in before:
            return False
    return "-i" in argv


def test_ffprobe_and_ffmpeg_read_an_upload_as_a_local_file_with_allowed_demuxers_only(
    monkeypatch, tmp_path
):
    commands: list[list[str]] = []
    real_run = subprocess.run

    def spy(command, *args, **kwargs):
        commands.append(list(command))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(inspection.subprocess, "run", spy)
    wav = tmp_path / "tone.wav"
    real_run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-y", str(wav)],
        check=True,
    )

    assert inspect_media(wav).kind == "audio"

    assert len(commands) == 2  # ffprobe, then a one-second decode with ffmpeg
    assert all(_guards_every_input(command, demuxers=True) for command in commands)


def test_every_ffmpeg_input_of_a_render_is_limited_to_local_files(monkeypatch):
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def spy(argv, *args, **kwargs):
        started.append(list(argv))
        return real_popen(argv, *args, **kwargs)

    monkeypatch.setattr(runner.subprocess, "Popen", spy)

    runner.run_ffmpeg(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=d=0.1", "-f", "lavfi",
         "-i", "sine=d=0.1", "-t", "0.1", "-f", "null", "-"],
        step="clip",
    )  # fmt: skip

    assert _guards_every_input(started[0], demuxers=False)
    assert started[0].count("-protocol_whitelist") == 2


def test_pillow_decodes_uploads_only_with_the_allowed_formats(monkeypatch, tmp_path):
    asked: list[object] = []
    real_open = Image.open

    def spy(fp, mode="r", formats=None):
        asked.append(formats)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", spy)
    bmp = tmp_path / "photo.jpg"
    Image.new("RGB", (16, 16), (10, 20, 30)).save(bmp, "BMP")
    png = tmp_path / "photo.png"
    Image.new("RGB", (16, 16), (10, 20, 30)).save(png, "PNG")

    with pytest.raises(UnusableMedia):
        inspect_media(bmp)
    assert inspect_media(png).mime == "image/png"

    assert asked
    assert all(formats is not None and set(formats) <= {"JPEG", "PNG", "WEBP", "GIF"}
               for formats in asked)  # fmt: skip
