-- The audit chain's head (its last entry's seq and MAC), MACed with the server secret, written in
-- the same transaction as the entries; the file <db>.audit holds a copy outside the warehouse.
CREATE TABLE audit_head (
    seq      BIGINT  NOT NULL,
    mac      VARCHAR NOT NULL,
    head_mac VARCHAR NOT NULL
);
