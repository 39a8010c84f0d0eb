"""Where a complaint is: inside the city's boundary, in which kelurahan, what is near it.

Pure Python (no GEOS/PostGIS): a ray-casting point-in-polygon test against the boundary loaded by
``manage.py load_complaint_boundary`` and haversine distances. The kelurahan is the one whose
(approximate) centroid is nearest — see ``complaints/data/kelurahan_centroids.py`` for why this is
only an approximation near kelurahan borders.
"""

from __future__ import annotations

import math

from complaints.data.kelurahan_centroids import KELURAHAN_CENTROIDS

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def ring_contains(ring: list[list[float]], lat: float, lon: float) -> bool:
    """Ray casting on a GeoJSON ring ([lon, lat] pairs)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(coordinates: list, lat: float, lon: float) -> bool:
    """A GeoJSON Polygon's coordinates: the outer ring minus its holes."""
    if not coordinates or not ring_contains(coordinates[0], lat, lon):
        return False
    return not any(ring_contains(hole, lat, lon) for hole in coordinates[1:])


def geometry_contains(geometry: dict, lat: float, lon: float) -> bool:
    if geometry.get("type") == "Polygon":
        return polygon_contains(geometry["coordinates"], lat, lon)
    if geometry.get("type") == "MultiPolygon":
        return any(polygon_contains(p, lat, lon) for p in geometry["coordinates"])
    return False


def nearest_kelurahan_code(lat: float, lon: float) -> str:
    return min(
        KELURAHAN_CENTROIDS,
        key=lambda code: distance_m(lat, lon, *KELURAHAN_CENTROIDS[code]),
    )


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a box containing the circle (for an indexed filter)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
