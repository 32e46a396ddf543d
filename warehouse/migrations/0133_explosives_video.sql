-- Two more clue channels (README "Input formats", queries/README.md "Explosives flows" and "Video
-- events"): the police's register of civil explosives flows (民用爆炸物品流向, kind explosives) and the
-- cameras' events (视频监控, kind video) with their screenshots; and the field checks of both
-- channels' clues entered on the console (公安 checks the flows, the township the video events).

-- One row per flow line, with its batch. A later file's row for a flow is its newer version from
-- the file's arrival on (a register, like the cases file).
CREATE TABLE raw_explosives (
    batch_id     BIGINT  NOT NULL,
    source_row   INTEGER NOT NULL,
    flow_id      VARCHAR NOT NULL,         -- 流向编号
    buyer        VARCHAR NOT NULL,         -- 购买单位
    licence_id   VARCHAR NOT NULL,         -- 许可证号 (the licence the blasting is for)
    item         VARCHAR NOT NULL,         -- 品种: 炸药 / 雷管 / 导爆索
    quantity     DECIMAL(14,3) NOT NULL,   -- 数量, in the item's unit (炸药 千克, 雷管 发, 导爆索 米)
    unit         VARCHAR NOT NULL,         -- 单位 as normalised by the loader
    drawn_on     DATE    NOT NULL,         -- 领用日期
    site         VARCHAR NOT NULL,         -- 作业地点 (names a configured township, perhaps a village)
    township     VARCHAR NOT NULL,         -- the township 作业地点 names
    village      VARCHAR,                  -- the village of it 作业地点 names, if any
    lon          DOUBLE  NOT NULL,         -- 经度
    lat          DOUBLE  NOT NULL,         -- 纬度
    returned     DECIMAL(14,3) NOT NULL,   -- 退库数量 (0 when blank), at most 数量
    extra        JSON
);

-- One row per camera event line, with its batch; the event's screenshot, sanitised like an upload
-- (portal/sanitize), in raw_video_screenshots.
CREATE TABLE raw_video_events (
    batch_id     BIGINT    NOT NULL,
    source_row   INTEGER   NOT NULL,
    event_id     VARCHAR   NOT NULL,       -- 事件编号
    camera_id    VARCHAR   NOT NULL,       -- 摄像头编号
    township     VARCHAR   NOT NULL,       -- 乡镇
    village      VARCHAR,                  -- 村
    lon          DOUBLE    NOT NULL,       -- 经度
    lat          DOUBLE    NOT NULL,       -- 纬度
    seen_at      TIMESTAMP NOT NULL,       -- 时间 (campaign local time)
    event_type   VARCHAR   NOT NULL,       -- 事件类型: 夜间作业 / 车辆进出 / 机械作业 / 其他
    screenshot   VARCHAR   NOT NULL,       -- 截图文件名 as written in the file
    note         VARCHAR,                  -- 说明
    extra        JSON
);

CREATE TABLE raw_video_screenshots (
    batch_id     BIGINT  NOT NULL,
    event_id     VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,         -- the file name (截图文件名)
    mime         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,         -- of the sanitised bytes
    data         BLOB    NOT NULL          -- the sanitised bytes (metadata stripped)
);

-- Field checks of a channel's clue entered on the console: channel 民爆流向 (item_id a 流向编号,
-- entered by 公安) or 视频监控 (item_id a 事件编号, entered by the township). Append-only; the
-- latest check dated on or before a day counts, known from entered_at.
CREATE TABLE clue_check_entries (
    channel      VARCHAR   NOT NULL,
    item_id      VARCHAR   NOT NULL,
    checked_on   DATE      NOT NULL,
    result       VARCHAR   NOT NULL,       -- 属实 / 不属实 / 无法核实
    note         VARCHAR,
    entered_by   VARCHAR   NOT NULL,
    unit         VARCHAR,                  -- the account's scope (公安, or the township)
    entered_at   TIMESTAMP NOT NULL
);
