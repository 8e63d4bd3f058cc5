-- RiskDesk schema 3: receivables (invoices, payments, allocations, promises, prepayment
-- requests) and collections (policies, levels, dunning runs and the steps they applied).

CREATE TABLE collection_policies (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    grace_days         INTEGER NOT NULL CHECK (grace_days BETWEEN 0 AND 365),
    -- Below this overdue amount (in minor units of the customer's currency) nothing is sent.
    min_overdue_minor  INTEGER NOT NULL CHECK (min_overdue_minor >= 0),
    is_default         INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE policy_levels (
    policy_id       INTEGER NOT NULL REFERENCES collection_policies(id),
    seq             INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 20),
    days_after_due  INTEGER NOT NULL CHECK (days_after_due BETWEEN 0 AND 3650),
    name_en         TEXT NOT NULL,
    name_zh         TEXT NOT NULL,
    -- Comma-separated: reminder_letter, formal_notice, phone_call, suspend, final_notice, agency
    actions         TEXT NOT NULL,
    letter_en       TEXT NOT NULL,
    letter_zh       TEXT NOT NULL,
    late_fee_minor  INTEGER NOT NULL DEFAULT 0 CHECK (late_fee_minor >= 0),
    -- Simple annual interest in basis points (1200 = 12.00 % a year).
    interest_bp     INTEGER NOT NULL DEFAULT 0 CHECK (interest_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (policy_id, seq)
) STRICT;

ALTER TABLE customers ADD COLUMN policy_id INTEGER REFERENCES collection_policies(id);

CREATE TABLE invoices (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 50),
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    kind                 TEXT NOT NULL CHECK (kind IN ('invoice', 'charge')),
    issued_on            TEXT NOT NULL,
    due_on               TEXT NOT NULL,
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    total_minor          INTEGER NOT NULL CHECK (total_minor >= 0),
    requires_prepayment  INTEGER NOT NULL DEFAULT 0 CHECK (requires_prepayment IN (0, 1)),
    disputed             INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    dispute_note         TEXT NOT NULL DEFAULT '',
    written_off_minor    INTEGER NOT NULL DEFAULT 0 CHECK (written_off_minor >= 0),
    written_off_on       TEXT,
    write_off_reason     TEXT NOT NULL DEFAULT '',
    -- The day the invoice became fully paid or written off ('9999-12-31' while open):
    -- lets aging as of a date skip what was settled by then.
    settled_on           TEXT NOT NULL DEFAULT '9999-12-31',
    created_at           TEXT NOT NULL,
    CHECK (due_on >= issued_on)
) STRICT;
CREATE INDEX invoices_by_customer ON invoices (customer_id, due_on);
CREATE INDEX invoices_unsettled ON invoices (settled_on);
-- Days sales outstanding sums what was invoiced in the last 90 days per currency.
CREATE INDEX invoices_sales ON invoices (currency, issued_on, total_minor);

CREATE TABLE invoice_lines (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER NOT NULL REFERENCES invoices(id),
    description       TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor  INTEGER NOT NULL,
    subscription_id   INTEGER REFERENCES subscriptions(id)
) STRICT;
CREATE INDEX invoice_lines_by_invoice ON invoice_lines (invoice_id);

-- Payments received and credit notes issued: both reduce what a customer owes.
CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    kind          TEXT NOT NULL CHECK (kind IN ('payment', 'credit_note')),
    received_on   TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    method        TEXT NOT NULL DEFAULT '',
    reference     TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    created_at    TEXT NOT NULL,
    UNIQUE (customer_id, kind, reference)
) STRICT;

CREATE TABLE allocations (
    payment_id    INTEGER NOT NULL REFERENCES payments(id),
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (payment_id, invoice_id)
) STRICT;
CREATE INDEX allocations_by_invoice ON allocations (invoice_id);

CREATE TABLE promises (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    made_on       TEXT NOT NULL,
    pay_by        TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    note          TEXT NOT NULL DEFAULT '',
    -- Payments recorded after the promise count towards it: ids above this one.
    last_payment_id INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE prepayment_requests (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    received_on   TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE dunning_runs (
    id           INTEGER PRIMARY KEY,
    as_of        TEXT NOT NULL,
    executed_at  TEXT NOT NULL,
    steps        INTEGER NOT NULL
) STRICT;

-- A level applied to an invoice: never twice (the run is idempotent).
CREATE TABLE dunning_steps (
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    level_seq     INTEGER NOT NULL,
    run_id        INTEGER NOT NULL REFERENCES dunning_runs(id),
    applied_on    TEXT NOT NULL,
    charge_minor  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (invoice_id, level_seq)
) STRICT;

-- The default policy that ships ready to use. Letter placeholders: {customer}, {amount},
-- {deadline}, {reseller}.
INSERT INTO collection_policies (id, name, grace_days, min_overdue_minor, is_default, created_at, updated_at)
VALUES (1, 'Standard', 3, 0, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

INSERT INTO policy_levels (policy_id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, late_fee_minor, interest_bp) VALUES
(1, 1, 7, 'Payment reminder', '付款提醒', 'reminder_letter',
 'Dear {customer}, our records show that the invoices below are past their due date. Perhaps this has slipped your attention: please pay {amount} by {deadline}. If you have already paid, thank you, and please ignore this reminder.',
 '{customer} 您好：依我們的紀錄，下列發票已逾付款期限，可能是您一時疏忽。請於 {deadline} 前支付 {amount}。若您已付款，謝謝您，請忽略本提醒。',
 0, 0),
(1, 2, 21, 'Formal notice', '正式催告', 'formal_notice,phone_call',
 'Dear {customer}, despite our reminder the invoices below remain unpaid. We ask you formally to pay {amount} by {deadline}. From this notice on, interest is charged on the overdue amount as our collections policy states.',
 '{customer} 您好：雖經提醒，下列發票仍未付款。特此正式催告，請於 {deadline} 前支付 {amount}。自本通知起，依收款政策對逾期金額計收利息。',
 0, 1000),
(1, 3, 30, 'Suspension warning', '停權警告', 'formal_notice,phone_call',
 'Dear {customer}, the invoices below are now 30 days overdue. Unless {amount} reaches us by {deadline}, we will suspend your Microsoft cloud subscriptions as our collections policy states. Services resume once the balance is paid.',
 '{customer} 您好：下列發票已逾期 30 天。若我們未能於 {deadline} 前收到 {amount}，將依收款政策暫停您的 Microsoft 雲端訂閱。款項結清後即恢復服務。',
 0, 1000),
(1, 4, 45, 'Suspension notice', '停權通知', 'suspend,formal_notice',
 'Dear {customer}, because the invoices below remain unpaid, your Microsoft cloud subscriptions have been suspended as of today. To restore access, pay {amount} by {deadline}; we reactivate your subscriptions once payment is received.',
 '{customer} 您好：由於下列發票仍未付款，您的 Microsoft 雲端訂閱已自今日起暫停。請於 {deadline} 前支付 {amount} 以恢復使用；收到款項後我們將立即恢復您的訂閱。',
 0, 1000),
(1, 5, 90, 'Final notice before collection agency', '移交催收前最後通知', 'final_notice,agency',
 'Dear {customer}, this is our final notice. Unless {amount} is paid by {deadline}, we will hand the debt over to a collection agency without further notice, and the costs of collection will be added.',
 '{customer} 您好：此為最後通知。若未於 {deadline} 前支付 {amount}，我們將不另行通知，逕行將本債權移交催收機構，催收費用亦將一併計入。',
 0, 1000);
