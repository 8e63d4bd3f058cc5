-- RiskDesk schema 13: money in from the bank. A customer's virtual account (the
-- per-customer collection account a Taiwanese bank issues) and the names it pays under;
-- bank accounts with the column mapping of their CSV exports; statements imported and
-- their lines, each line booked once (by the bank's reference, or a hash of what it says).

ALTER TABLE customers ADD COLUMN virtual_account TEXT NOT NULL DEFAULT '';
-- The names payments arrive under besides the legal name, separated by ';'.
ALTER TABLE customers ADD COLUMN payer_names TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX customers_by_virtual_account ON customers (virtual_account)
    WHERE virtual_account <> '';

CREATE TABLE bank_accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    -- The CSV column mapping as JSON ('' until a CSV is imported for the account).
    csv_map     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE bank_statements (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES bank_accounts(id),
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('camt053', 'mt940', 'csv')),
    imported_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    lines_added  INTEGER NOT NULL,
    lines_known  INTEGER NOT NULL
) STRICT;

CREATE TABLE bank_lines (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES bank_accounts(id),
    statement_id   INTEGER NOT NULL REFERENCES bank_statements(id),
    file_line      INTEGER NOT NULL,
    booked_on      TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    text           TEXT NOT NULL DEFAULT '',
    payer          TEXT NOT NULL DEFAULT '',
    payer_account  TEXT NOT NULL DEFAULT '',
    -- The account the money arrived on when the bank says (a virtual account).
    to_account     TEXT NOT NULL DEFAULT '',
    reference      TEXT NOT NULL DEFAULT '',
    -- The bank's reference, or a hash of date, amount, text and account without one.
    dedup_key      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'booked', 'ignored', 'outgoing')),
    payment_id     INTEGER REFERENCES payments(id),
    decided_at     TEXT,
    decided_by     TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, dedup_key)
) STRICT;
CREATE INDEX bank_lines_by_status ON bank_lines (status, booked_on);
