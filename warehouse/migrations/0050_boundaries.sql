-- Township boundaries for the maps, from the GeoJSON file `landwatch init` was given
-- (--boundaries or county.boundaries; campaign.LoadBoundaries checks it). Replaced as a whole by
-- the next init that gives a file; kept by an init that gives none.
CREATE TABLE dim_township_boundaries (
    township VARCHAR NOT NULL,               -- a configured township, at most one row each
    geojson  VARCHAR NOT NULL,               -- a GeoJSON Feature (Polygon/MultiPolygon, WGS84), properties {"name": township}
    area_km2 DOUBLE  NOT NULL,               -- area on the sphere
    lon      DOUBLE  NOT NULL,               -- planar area centroid
    lat      DOUBLE  NOT NULL
);
