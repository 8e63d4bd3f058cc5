-- RiskDesk schema 14: payment plans. A plan spreads chosen open invoices of one customer
-- over instalments (with the plan's own interest, if any). While it is kept, dunning pauses
-- for its invoices; an instalment unpaid past the grace period breaks it. Only "kept" and
-- "cancelled" are stored: completed and broken are read from the payments, as of a date.

CREATE TABLE payment_plans (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customers(id),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    made_on          TEXT NOT NULL,
    -- What the plan's invoices owed when it was made, and its interest: the total is both.
    owed_minor       INTEGER NOT NULL CHECK (owed_minor > 0),
    interest_bp      INTEGER NOT NULL DEFAULT 0 CHECK (interest_bp BETWEEN 0 AND 10000),
    interest_minor   INTEGER NOT NULL DEFAULT 0 CHECK (interest_minor >= 0),
    total_minor      INTEGER NOT NULL CHECK (total_minor = owed_minor + interest_minor),
    -- The charge invoice that bills the plan's interest (none without interest).
    interest_invoice_id INTEGER REFERENCES invoices(id),
    -- Payments recorded after the plan count towards it: ids above this one.
    last_payment_id  INTEGER NOT NULL DEFAULT 0,
    cancelled_on     TEXT,
    note             TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX payment_plans_by_customer ON payment_plans (customer_id);

CREATE TABLE plan_invoices (
    plan_id     INTEGER NOT NULL REFERENCES payment_plans(id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    owed_minor  INTEGER NOT NULL CHECK (owed_minor > 0),
    PRIMARY KEY (plan_id, invoice_id)
) STRICT;
CREATE INDEX plan_invoices_by_invoice ON plan_invoices (invoice_id);

CREATE TABLE plan_instalments (
    plan_id         INTEGER NOT NULL REFERENCES payment_plans(id),
    seq             INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 120),
    due_on          TEXT NOT NULL,
    principal_minor INTEGER NOT NULL CHECK (principal_minor >= 0),
    interest_minor  INTEGER NOT NULL CHECK (interest_minor >= 0),
    PRIMARY KEY (plan_id, seq)
) STRICT;
