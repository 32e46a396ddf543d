-- Macros the models share; created before every build.

-- Great-circle distance in metres between two WGS84 points (haversine, mean earth radius
-- 6,371,008.8 m). NULL when a coordinate is NULL.
CREATE OR REPLACE MACRO haversine_m(lon1, lat1, lon2, lat2) AS
    2 * 6371008.8 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- The Monday of the ISO week holding a day.
CREATE OR REPLACE MACRO iso_monday(d) AS CAST(date_trunc('week', d) AS DATE);

-- As known then (README "As known then"): a row of a batch received at known_from, superseded at
-- known_until (a correction or a newer version arrived; NULL: never), counts as of day d when it had
-- arrived by the end of d and was not yet superseded then.
CREATE OR REPLACE MACRO known_at(known_from, known_until, d) AS
    known_from < CAST(d AS TIMESTAMP) + INTERVAL 1 DAY
    AND (known_until IS NULL OR known_until >= CAST(d AS TIMESTAMP) + INTERVAL 1 DAY);
