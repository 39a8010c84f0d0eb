"""Faces and licence plates made unrecognisable in the copies of complaint photos that public
output shows.

Detection uses the Haar cascades that ship inside ``opencv-python-headless`` (``cv2.data``:
``haarcascade_frontalface_default.xml`` and ``haarcascade_russian_plate_number.xml``): nothing is
downloaded at run time. Each detected box, widened by a margin, is pixelated (shrunk to a few
blocks and enlarged again), which unlike a light blur cannot be undone; the rest of the image is
left as it was. Haar cascades miss faces in profile and plates at steep angles, so photos are
public only when the reporter allowed it, and staff can still withdraw a public copy in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

# One thread per process: Celery's prefork pool already runs one task per core, and OpenCV's own
# pool (a thread per core by default) would oversubscribe the machine, web workers included.
cv2.setNumThreads(1)

FACE_CASCADE = "haarcascade_frontalface_default.xml"
PLATE_CASCADE = "haarcascade_russian_plate_number.xml"
MARGIN = 0.15  # widen each box by 15 % on every side
BLOCKS = 6  # a face or plate becomes at most 6 × 6 blocks
MAX_SIDE = 1600  # public copies are at most this wide or high


@dataclass(frozen=True)
class Redacted:
    image: np.ndarray
    faces: tuple[tuple[int, int, int, int], ...]
    plates: tuple[tuple[int, int, int, int], ...]


@lru_cache(maxsize=2)
def _cascade(name: str) -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():  # pragma: no cover - a broken install
        raise RuntimeError(f"OpenCV's cascade {name} is missing.")
    return classifier


def _detect(gray: np.ndarray) -> tuple[tuple, tuple]:
    side = min(gray.shape[:2])
    face_min = max(20, side // 20)
    faces = _cascade(FACE_CASCADE).detectMultiScale(
        cv2.equalizeHist(gray), scaleFactor=1.05, minNeighbors=4, minSize=(face_min, face_min)
    )
    plates = _cascade(PLATE_CASCADE).detectMultiScale(
        gray, scaleFactor=1.05, minNeighbors=3, minSize=(max(30, side // 25), 10)
    )
    as_tuples = lambda boxes: tuple(tuple(int(v) for v in box) for box in boxes)  # noqa: E731
    return as_tuples(faces), as_tuples(plates)


def _pixelate(image: np.ndarray, box: tuple[int, int, int, int]) -> None:
    x, y, w, h = box
    dx, dy = int(w * MARGIN), int(h * MARGIN)
    top, left = max(0, y - dy), max(0, x - dx)
    bottom, right = min(image.shape[0], y + h + dy), min(image.shape[1], x + w + dx)
    region = image[top:bottom, left:right]
    if region.size == 0:
        return
    size = (min(BLOCKS, region.shape[1]), min(BLOCKS, region.shape[0]))
    small = cv2.resize(region, size, interpolation=cv2.INTER_AREA)  # each block: its average
    image[top:bottom, left:right] = cv2.resize(
        small, (region.shape[1], region.shape[0]), interpolation=cv2.INTER_NEAREST
    )


def redact(image: np.ndarray) -> Redacted:
    """A copy of ``image`` (BGR) with every detected face and licence plate pixelated."""
    result = image.copy()
    faces, plates = _detect(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    for box in (*faces, *plates):
        _pixelate(result, box)
    return Redacted(result, faces, plates)


def redacted_jpeg(data: bytes) -> tuple[bytes, int, int]:
    """``data`` (a JPEG or PNG) as a redacted JPEG, at most ``MAX_SIDE`` pixels on its longer
    side, without metadata; returns ``(jpeg, faces, plates)``."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a decodable image")
    longest = max(image.shape[:2])
    if longest > MAX_SIDE:
        scale = MAX_SIDE / longest
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    redacted = redact(image)
    ok, encoded = cv2.imencode(".jpg", redacted.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:  # pragma: no cover
        raise ValueError("could not encode the image")
    return encoded.tobytes(), len(redacted.faces), len(redacted.plates)
