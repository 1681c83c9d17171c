"""Travel times between the places of a program, from the hosts' coordinates.

minutes(a, b) = overhead + great-circle distance(a, b) / speed, rounded up to whole minutes:
the distance by the haversine formula on a sphere of 6,371 km, the speed and the fixed
overhead (parking, the walk to the meeting room, security) from the program's planning
settings (25 km/h and 15 minutes unless set: Astana's traffic, door to door). A place whose
coordinates are unknown is UNKNOWN_DISTANCE_KM away from every other. An organiser's
`TravelTime` for a pair replaces the derived time (in both directions unless the reverse
has one of its own).
"""

import math
from collections.abc import Iterable

EARTH_RADIUS_KM = 6371.0
UNKNOWN_DISTANCE_KM = 8.0  # a typical hop across Astana


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def derived_minutes(
    a: tuple[float, float] | None, b: tuple[float, float] | None, *, speed_kmh: int, overhead_minutes: int
) -> int:
    distance = haversine_km(a, b) if a is not None and b is not None else UNKNOWN_DISTANCE_KM
    return overhead_minutes + math.ceil(distance / speed_kmh * 60)


def travel_matrix(
    *,
    places: dict[int, tuple[float, float] | None],
    speed_kmh: int,
    overhead_minutes: int,
    overrides: Iterable[tuple[int, int, int]] = (),
) -> dict[tuple[int, int], int]:
    """(from, to) → minutes for every ordered pair of distinct places."""
    matrix = {
        (a, b): derived_minutes(pa, pb, speed_kmh=speed_kmh, overhead_minutes=overhead_minutes)
        for a, pa in places.items()
        for b, pb in places.items()
        if a != b
    }
    given = {(a, b): minutes for a, b, minutes in overrides if a != b}
    for (a, b), minutes in given.items():
        matrix[(a, b)] = minutes
        if (b, a) not in given:
            matrix[(b, a)] = minutes
    return matrix
