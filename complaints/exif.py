"""The GPS position a phone camera writes into a photo's EXIF data.

Read from the file as the citizen sent it, before :func:`services.uploads.document_upload`
re-encodes the image without its metadata; the stored copy never carries the position.
"""

from __future__ import annotations

from decimal import Decimal

from PIL import Image, UnidentifiedImageError

GPS_IFD = 0x8825
LATITUDE_REF, LATITUDE, LONGITUDE_REF, LONGITUDE = 1, 2, 3, 4


def _degrees(value) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    return degrees + minutes / 60 + seconds / 3600


def gps_position(file) -> tuple[Decimal, Decimal] | None:
    """``(latitude, longitude)`` from ``file``'s EXIF GPS tags, or ``None`` when it has none (or is
    not an image). The file is rewound afterwards."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    try:
        latitude = _degrees(gps[LATITUDE])
        longitude = _degrees(gps[LONGITUDE])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if str(gps.get(LATITUDE_REF, "N")).upper().startswith("S"):
        latitude = -latitude
    if str(gps.get(LONGITUDE_REF, "E")).upper().startswith("W"):
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def first_gps_position(files) -> tuple[Decimal, Decimal] | None:
    for file in files or ():
        position = gps_position(file)
        if position is not None:
            return position
    return None
