"""OpenCV, imported only when a still moves.

The web server and the other workers never load its libraries (~35 MB resident). It runs on
one core per clip: the clip's encoder and the other clips being rendered have the rest.
"""

from __future__ import annotations

import functools


@functools.cache
def cv2():
    import cv2

    cv2.setNumThreads(1)
    return cv2
