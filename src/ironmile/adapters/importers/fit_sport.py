"""FIT sport and sub-sport numbers to `Sport`.

The sport decides whether an activity counts as running load, so machines count by what the body
does: a treadmill run is running whether the device files it under running or under fitness
equipment, and an indoor rower is rowing. Gym work filed as "training" is strength training, except
the sub-sports that are mobility or breathing work (yoga, pilates, flexibility, breathing).
"""

from __future__ import annotations

from ironmile.adapters.importers.fit_profile import SportNumber as S
from ironmile.adapters.importers.fit_profile import SubSportNumber as Sub
from ironmile.domain.activity import Sport

_BY_SPORT = {
    S.RUNNING: Sport.RUNNING,
    S.CYCLING: Sport.CYCLING,
    S.E_BIKING: Sport.CYCLING,
    S.SWIMMING: Sport.SWIMMING,
    S.WALKING: Sport.WALKING,
    S.HIKING: Sport.HIKING,
    S.TRAINING: Sport.STRENGTH,
    S.ROWING: Sport.ROWING,
    S.CROSS_COUNTRY_SKIING: Sport.SKIING,
    S.ALPINE_SKIING: Sport.SKIING,
}

_BY_MACHINE = {
    Sub.TREADMILL: Sport.RUNNING,
    Sub.INDOOR_RUNNING: Sport.RUNNING,
    Sub.SPIN: Sport.CYCLING,
    Sub.INDOOR_CYCLING: Sport.CYCLING,
    Sub.INDOOR_ROWING: Sport.ROWING,
    Sub.INDOOR_WALKING: Sport.WALKING,
    Sub.INDOOR_SKIING: Sport.SKIING,
    Sub.STRENGTH_TRAINING: Sport.STRENGTH,
}

_NOT_STRENGTH = {Sub.FLEXIBILITY_TRAINING, Sub.YOGA, Sub.PILATES, Sub.BREATHING}


def sport_of(sport: int | None, sub_sport: int | None) -> Sport:
    if sport == S.FITNESS_EQUIPMENT:
        return _BY_MACHINE.get(sub_sport, Sport.OTHER) if sub_sport is not None else Sport.OTHER
    if sport == S.TRAINING and sub_sport in _NOT_STRENGTH:
        return Sport.OTHER
    if sub_sport == Sub.STRENGTH_TRAINING:
        return Sport.STRENGTH
    return _BY_SPORT.get(sport, Sport.OTHER) if sport is not None else Sport.OTHER
