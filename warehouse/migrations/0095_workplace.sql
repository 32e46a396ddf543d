-- The portal as a daily workplace (portal/README.md "Queues and notifications", "Tips about officials").

-- How a tip reached the county: 网络 (the public form or the API), 电话 or 信件 (entered by the
-- office on the tipster's behalf; entered_by names the staff account). A tip about officials
-- (保护伞、通风报信, ticked 涉及公职人员 by the tipster) is confidential: only discipline inspection
-- sees it.
ALTER TABLE tips ADD COLUMN channel VARCHAR DEFAULT '网络';
ALTER TABLE tips ADD COLUMN entered_by VARCHAR;
ALTER TABLE tips ADD COLUMN confidential BOOLEAN DEFAULT false;
UPDATE tips SET channel = '网络' WHERE channel IS NULL;
UPDATE tips SET confidential = false WHERE confidential IS NULL;

-- Notifications inside the portal: addressed to a role and its scope (a township, a member unit;
-- '' for the county-wide roles), so an account created later sees what its office was sent. A
-- notice is never changed; reading one adds a row to notification_reads. dedupe keeps a sweep
-- (overdue items) from sending the same notice twice.
CREATE TABLE notifications (
    notice_id  BIGINT    NOT NULL,
    role       VARCHAR   NOT NULL,
    scope      VARCHAR   NOT NULL,
    kind       VARCHAR   NOT NULL,   -- assigned / answered / overdue / approved
    ref        VARCHAR   NOT NULL,   -- the tip, item, case or reward it is about
    body       VARCHAR   NOT NULL,   -- one Chinese sentence
    link       VARCHAR   NOT NULL,   -- the page to open
    created_at TIMESTAMP NOT NULL,   -- campaign local time
    dedupe     VARCHAR
);
CREATE UNIQUE INDEX notifications_id ON notifications (notice_id);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (dedupe);

CREATE TABLE notification_reads (
    notice_id BIGINT    NOT NULL,
    username  VARCHAR   NOT NULL,
    read_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX notification_reads_once ON notification_reads (notice_id, username);
