-- The licence register (矿业权/采矿许可证登记): every licence with its holder, mineral, validity and
-- licensed area (README "Input formats", kind licences). A later register export's row is the
-- licence's version from its file's arrival on, like the other registers. The area is kept as WKT
-- and, for the point-in-polygon test in SQL (queries/README.md "mart_imagery_triage"), as its edges.
CREATE TABLE raw_licences (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    licence_id  VARCHAR NOT NULL,            -- 许可证号
    holder      VARCHAR NOT NULL,            -- 矿权人
    mineral     VARCHAR,                     -- 矿种
    valid_from  DATE    NOT NULL,            -- 有效期起 (the day it was issued; an event)
    valid_to    DATE    NOT NULL,            -- 有效期止 (may lie in the future; not an event)
    min_lon     DOUBLE  NOT NULL,            -- bounding box of the licensed area
    min_lat     DOUBLE  NOT NULL,
    max_lon     DOUBLE  NOT NULL,
    max_lat     DOUBLE  NOT NULL,
    geometry    VARCHAR NOT NULL,            -- WKT, WGS84
    extra       JSON
);

-- The boundary of each licensed area as straight edges (x = lon, y = lat): every ring of every
-- polygon, outer rings and holes alike, so that the even-odd rule decides inside and outside.
CREATE TABLE raw_licence_edges (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    licence_id  VARCHAR NOT NULL,
    part        INTEGER NOT NULL,            -- polygon of a MultiPolygon, from 1
    ring        INTEGER NOT NULL,            -- 1 the outer ring, 2… holes
    seq         INTEGER NOT NULL,            -- edge of the ring, from 1
    x1          DOUBLE  NOT NULL,
    y1          DOUBLE  NOT NULL,
    x2          DOUBLE  NOT NULL,
    y2          DOUBLE  NOT NULL
);
