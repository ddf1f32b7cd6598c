"""Distances on the Earth, bounding boxes, and a coarse offline geocoder for French postcodes.

Without earthdistance/cube or PostGIS, the nearest-office search bounds its candidates with a
latitude/longitude box (served by a B-tree index) and orders the survivors by the exact
great-circle distance computed in SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, literal

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    @property
    def valid(self) -> bool:
        return (
            math.isfinite(self.latitude)
            and math.isfinite(self.longitude)
            and -90 <= self.latitude <= 90
            and -180 <= self.longitude <= 180
        )


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def sql_distance_km(origin: Point, latitude: Any, longitude: Any) -> ColumnElement[float]:
    """The haversine distance from `origin` to a row's coordinates, as a SQL expression."""
    lat0 = literal(origin.latitude)
    lon0 = literal(origin.longitude)
    h = func.power(func.sin(func.radians(latitude - lat0) / 2), 2) + func.cos(
        func.radians(lat0)
    ) * func.cos(func.radians(latitude)) * func.power(
        func.sin(func.radians(longitude - lon0) / 2), 2
    )
    return 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(h)))


@dataclass(frozen=True)
class Box:
    min_latitude: float
    max_latitude: float
    # None: every longitude (near a pole, or a box wider than the globe).
    min_longitude: float | None
    max_longitude: float | None


def bounding_box(origin: Point, radius_km: float) -> Box:
    """A box holding every point within `radius_km` of `origin` (and some beyond)."""
    dlat = radius_km / KM_PER_DEGREE
    min_lat, max_lat = origin.latitude - dlat, origin.latitude + dlat
    if min_lat <= -90 or max_lat >= 90:
        return Box(max(min_lat, -90), min(max_lat, 90), None, None)
    # At the box's edge nearest the pole a degree of longitude is shortest.
    widest = max(abs(min_lat), abs(max_lat))
    dlon = radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    if dlon >= 180 or origin.longitude - dlon < -180 or origin.longitude + dlon > 180:
        return Box(min_lat, max_lat, None, None)
    return Box(min_lat, max_lat, origin.longitude - dlon, origin.longitude + dlon)


# Prefecture of each French département (and overseas), by the postcode's first digits: the
# fallback place of an organisation whose deposits carry no location. Precision: tens of km,
# enough to choose a nearby office.
_DEPARTMENTS: dict[str, tuple[float, float]] = {
    "01": (46.205, 5.225),
    "02": (49.564, 3.620),
    "03": (46.566, 3.333),
    "04": (44.092, 6.236),
    "05": (44.559, 6.079),
    "06": (43.710, 7.262),
    "07": (44.735, 4.599),
    "08": (49.762, 4.726),
    "09": (42.965, 1.607),
    "10": (48.297, 4.074),
    "11": (43.213, 2.349),
    "12": (44.350, 2.575),
    "13": (43.296, 5.370),
    "14": (49.183, -0.370),
    "15": (44.931, 2.445),
    "16": (45.648, 0.156),
    "17": (46.160, -1.151),
    "18": (47.081, 2.399),
    "19": (45.267, 1.772),
    "20": (41.927, 8.737),
    "21": (47.322, 5.041),
    "22": (48.514, -2.765),
    "23": (46.171, 1.872),
    "24": (45.184, 0.721),
    "25": (47.238, 6.024),
    "26": (44.933, 4.892),
    "27": (49.024, 1.151),
    "28": (48.446, 1.489),
    "29": (47.996, -4.102),
    "30": (43.837, 4.360),
    "31": (43.605, 1.444),
    "32": (43.646, 0.586),
    "33": (44.838, -0.579),
    "34": (43.611, 3.877),
    "35": (48.117, -1.678),
    "36": (46.811, 1.686),
    "37": (47.394, 0.685),
    "38": (45.188, 5.724),
    "39": (46.675, 5.555),
    "40": (43.890, -0.500),
    "41": (47.586, 1.336),
    "42": (45.440, 4.387),
    "43": (45.043, 3.885),
    "44": (47.218, -1.554),
    "45": (47.903, 1.909),
    "46": (44.448, 1.441),
    "47": (44.203, 0.616),
    "48": (44.518, 3.500),
    "49": (47.478, -0.563),
    "50": (49.116, -1.091),
    "51": (48.957, 4.363),
    "52": (48.112, 5.139),
    "53": (48.073, -0.770),
    "54": (48.692, 6.184),
    "55": (48.772, 5.160),
    "56": (47.658, -2.760),
    "57": (49.120, 6.176),
    "58": (46.990, 3.159),
    "59": (50.629, 3.057),
    "60": (49.430, 2.083),
    "61": (48.432, 0.091),
    "62": (50.291, 2.777),
    "63": (45.777, 3.087),
    "64": (43.295, -0.371),
    "65": (43.233, 0.078),
    "66": (42.699, 2.895),
    "67": (48.573, 7.752),
    "68": (48.079, 7.358),
    "69": (45.764, 4.836),
    "70": (47.620, 6.155),
    "71": (46.307, 4.828),
    "72": (48.008, 0.199),
    "73": (45.564, 5.918),
    "74": (45.899, 6.129),
    "75": (48.857, 2.352),
    "76": (49.443, 1.100),
    "77": (48.540, 2.656),
    "78": (48.801, 2.130),
    "79": (46.323, -0.464),
    "80": (49.894, 2.296),
    "81": (43.929, 2.148),
    "82": (44.018, 1.355),
    "83": (43.124, 5.928),
    "84": (43.949, 4.806),
    "85": (46.670, -1.426),
    "86": (46.580, 0.340),
    "87": (45.834, 1.261),
    "88": (48.172, 6.449),
    "89": (47.798, 3.567),
    "90": (47.640, 6.863),
    "91": (48.629, 2.441),
    "92": (48.892, 2.207),
    "93": (48.910, 2.439),
    "94": (48.791, 2.455),
    "95": (49.036, 2.076),
    "971": (15.996, -61.727),
    "972": (14.604, -61.067),
    "973": (4.922, -52.313),
    "974": (-20.882, 55.450),
    "976": (-12.781, 45.228),
}


def postcode_point(postcode: str | None) -> Point | None:
    """The approximate place of a French postcode (its département's prefecture), or None."""
    code = (postcode or "").replace(" ", "")
    if len(code) != 5 or not code.isdigit():
        return None
    if code.startswith("97"):
        found = _DEPARTMENTS.get(code[:3])
    elif code.startswith("20"):
        found = _DEPARTMENTS["20"]  # Corse: 20xxx postcodes cover 2A and 2B
    else:
        found = _DEPARTMENTS.get(code[:2])
    return Point(*found) if found else None
