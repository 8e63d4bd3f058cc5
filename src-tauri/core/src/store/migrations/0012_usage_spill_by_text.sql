-- The usage import's scratch table keeps each subscription's id as text, so the import
-- holds the ids of the rows it has not spilled yet only: memory stays flat whatever the
-- number of distinct subscriptions in a file. The table is empty between imports.
DROP TABLE usage_spill;
CREATE TABLE usage_spill (
    tenant       INTEGER NOT NULL,
    subscription TEXT NOT NULL,
    raw_date     INTEGER NOT NULL,
    meter        INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    billed       INTEGER NOT NULL,
    quantity     BLOB NOT NULL,
    cost         BLOB NOT NULL,
    PRIMARY KEY (tenant, subscription, raw_date, meter, seq)
) STRICT, WITHOUT ROWID;
