-- RiskDesk schema 17: the reseller's own line with Microsoft. Microsoft's invoices to the
-- partner (typed or imported), each with its due date and the day it was paid; the credit
-- limit, Microsoft's payment terms and the alert thresholds are settings
-- (`microsoft.credit_limit`, `microsoft.payment_terms_days`, `microsoft.alert_thresholds`).

CREATE TABLE ms_invoices (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
    invoice_date  TEXT NOT NULL,
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor  INTEGER NOT NULL,
    due_on        TEXT NOT NULL CHECK (due_on >= invoice_date),
    paid_on       TEXT CHECK (paid_on IS NULL OR paid_on >= invoice_date),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX ms_invoices_by_date ON ms_invoices (invoice_date);
