-- RiskDesk schema 2: user settings (language, ...) and indexes that keep the customer
-- list fast at tens of thousands of customers.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX customers_by_name ON customers (legal_name COLLATE NOCASE, id);
CREATE INDEX customers_by_status ON customers (status, legal_name COLLATE NOCASE, id);
