-- Raw inputs as loaded by etl/. Every row keeps its batch (load_batches.batch_id) and its source row
-- (the spreadsheet or csv line number as the office sees it; for GeoJSON the feature number from 1).
-- Columns an input file had beyond the contract are kept in extra (a JSON object header -> text).
-- Rows of a batch that a later corrected file replaced stay here; staging reads active batches only
-- (load_batches.replaced_by IS NULL).

CREATE SEQUENCE batch_seq START 1;
CREATE TABLE load_batches (
    batch_id    BIGINT    NOT NULL,
    kind        VARCHAR   NOT NULL,          -- inspection, rectification, patrol, cases, meters, power, power-checks, imagery, clues
    file_name   VARCHAR   NOT NULL,
    sha256      VARCHAR   NOT NULL,
    rows        BIGINT    NOT NULL,
    warnings    INTEGER   NOT NULL DEFAULT 0,
    loaded_by   VARCHAR   NOT NULL,
    loaded_at   TIMESTAMP NOT NULL,
    township    VARCHAR,                     -- inspection forms and patrol logs: whose file it is
    form_date   DATE,                        -- inspection forms: the date on the form's header line
    replaces    BIGINT,                      -- the batch this corrected file replaced
    replaced_by BIGINT                       -- set when a later file replaced this one
);

-- Warnings of a load that did not stop it (an unknown village, an inferred category).
CREATE TABLE load_warnings (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER,
    column_name VARCHAR,
    message     VARCHAR NOT NULL
);

-- 排查报表: village and township inspection forms, one row per form line.
CREATE TABLE raw_inspections (
    batch_id          BIGINT  NOT NULL,
    source_row        INTEGER NOT NULL,
    sheet             VARCHAR,
    township          VARCHAR NOT NULL,
    form_date         DATE,                  -- 年 月 日 of the header line
    level             VARCHAR NOT NULL,      -- 村级 / 乡镇
    seq               INTEGER,               -- 序号
    problem_id        VARCHAR NOT NULL,      -- 问题编号, else {乡镇}-{form date YYYYMMDD}-{序号}
    is_problem        BOOLEAN NOT NULL,      -- 发现隐患 non-empty and not a none-marker
    village           VARCHAR,
    address           VARCHAR,               -- 排查详细地址
    site_condition    VARCHAR,               -- 现场情况
    hazard            VARCHAR,               -- 发现隐患
    measures          VARCHAR,               -- 整改措施
    cadre_signed      VARCHAR,               -- 包村干部签字
    head_signed       VARCHAR,               -- 村委负责人签字
    remark            VARCHAR,               -- 备注
    inspected_on      DATE,                  -- 排查日期
    reported_on       DATE    NOT NULL,      -- 排查日期 if given, else the form date
    lon               DOUBLE,
    lat               DOUBLE,
    category          VARCHAR,               -- M1…L4, NULL when unknown
    category_inferred BOOLEAN NOT NULL,
    deadline          DATE,                  -- 整改时限
    extra             JSON
);

-- 整改台账: rectification ledger updates; item_id is a problem id or a violation's source id.
CREATE TABLE raw_rectifications (
    batch_id     BIGINT  NOT NULL,
    source_row   INTEGER NOT NULL,
    item_id      VARCHAR NOT NULL,           -- 问题编号
    status       VARCHAR NOT NULL,           -- 未整改 / 整改中 / 已整改
    rectified_on DATE,                       -- 完成日期
    verified_by  VARCHAR,                    -- 验收人
    note         VARCHAR,                    -- 说明
    extra        JSON
);

-- 巡查记录: township patrol logs.
CREATE TABLE raw_patrols (
    batch_id     BIGINT  NOT NULL,
    source_row   INTEGER NOT NULL,
    township     VARCHAR NOT NULL,
    patrolled_on DATE    NOT NULL,
    team         VARCHAR,
    villages     VARCHAR,
    findings     VARCHAR,
    extra        JSON
);

-- 案件: enforcement cases.
CREATE TABLE raw_cases (
    batch_id            BIGINT  NOT NULL,
    source_row          INTEGER NOT NULL,
    case_id             VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,    -- 巡查/举报/卫片/用电/媒体/上级督察/领导批办/部门移送
    source_ref          VARCHAR,             -- id of the clue, tip, patch or alert it came from
    township            VARCHAR NOT NULL,
    village             VARCHAR,
    lon                 DOUBLE,
    lat                 DOUBLE,
    category            VARCHAR,
    found_on            DATE    NOT NULL,
    filed_on            DATE,
    price_requested_on  DATE,
    price_done_on       DATE,
    to_police_on        DATE,
    to_procuratorate_on DATE,
    judged_on           DATE,
    fine_yuan           DECIMAL(14,2),
    confiscated_yuan    DECIMAL(14,2),
    status              VARCHAR,
    extra               JSON
);

-- 用电户档案: the power company's meter registry.
CREATE TABLE raw_meters (
    batch_id      BIGINT  NOT NULL,
    source_row    INTEGER NOT NULL,
    meter_id      VARCHAR NOT NULL,
    account       VARCHAR,
    customer_type VARCHAR NOT NULL,          -- 居民/小工厂/养殖场/洗煤厂/焦化厂/煤矿/关闭矿井/其他
    township      VARCHAR NOT NULL,
    village       VARCHAR,
    lon           DOUBLE,
    lat           DOUBLE,
    address       VARCHAR,
    extra         JSON
);

-- 用电数据: hourly or 15-minute readings; tens of millions of rows.
CREATE TABLE raw_power_readings (
    batch_id   BIGINT    NOT NULL,
    source_row BIGINT,                        -- line of the csv (header = 1), row of the Parquet file
    meter_id   VARCHAR   NOT NULL,
    ts         TIMESTAMP NOT NULL,            -- local time (Asia/Shanghai) of the interval's start
    kwh        DOUBLE    NOT NULL
);

-- 用电核查: field checks of power alerts.
CREATE TABLE raw_power_checks (
    batch_id   BIGINT  NOT NULL,
    source_row INTEGER NOT NULL,
    meter_id   VARCHAR NOT NULL,
    alert_id   VARCHAR,                       -- the alert it answers, when known
    checked_on DATE    NOT NULL,
    result     VARCHAR NOT NULL,              -- 非法采矿 / 正常 / 其他
    extra      JSON
);

-- 卫片图斑: satellite-imagery change patches.
CREATE TABLE raw_imagery_patches (
    batch_id      BIGINT  NOT NULL,
    source_row    INTEGER NOT NULL,
    patch_id      VARCHAR NOT NULL,
    imaging_batch VARCHAR,                    -- 批次
    imaged_on     DATE    NOT NULL,
    township      VARCHAR NOT NULL,
    village       VARCHAR,
    change_type   VARCHAR,                    -- 挖损/新增建设/堆放/其他
    land_before   VARCHAR,
    land_after    VARCHAR,
    area_mu       DOUBLE,
    verdict       VARCHAR NOT NULL,           -- 合法/违法/其他/未核查
    checked_on    DATE,
    lon           DOUBLE  NOT NULL,           -- centroid of the polygon
    lat           DOUBLE  NOT NULL,
    geometry      VARCHAR NOT NULL,           -- WKT, WGS84
    extra         JSON
);

-- 其他线索: clues from media, higher-level inspections, leaders' instructions, routine supervision.
CREATE TABLE raw_clues (
    batch_id   BIGINT  NOT NULL,
    source_row INTEGER NOT NULL,
    clue_id    VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,              -- 媒体曝光/上级督察/领导批办/日常监管
    township   VARCHAR NOT NULL,
    village    VARCHAR,
    lon        DOUBLE,
    lat        DOUBLE,
    category   VARCHAR,
    found_on   DATE    NOT NULL,
    verdict    VARCHAR NOT NULL,              -- 属实/不属实/核查中
    extra      JSON
);
