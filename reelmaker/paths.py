"""Where the project and its local data live (the settings and their parts read these)."""

from pathlib import Path

from reelmaker.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REELMAKER_VAR_DIR", str(BASE_DIR / "var")))
