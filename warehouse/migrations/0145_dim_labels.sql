-- The label table (campaign.Config.LabelRows: the codes' Chinese words, the input kinds of
-- campaign.InputKinds in order, the configuration's categories and stages), filled with the other
-- dimensions, so the SQL models join one vocabulary (stg_config__labels).
CREATE TABLE dim_labels (
    col        VARCHAR NOT NULL,
    code       VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (col, code)
);
