-- A payment recorded after a dunning run but received on or before the run's day shows the
-- run charged its late fee and interest on money already paid. Each step now keeps what the
-- run found due on the invoice and what payments received (or write-offs dated) by the run's
-- day had settled of it; payments and write-offs recorded later add to that, and what they show was charged too much is credited
-- back (a credit note on the run's charge invoice). A payment taken back later charges
-- again what it had credited back, and no more. Steps applied before this migration keep
-- NULL: what was known when they were applied is not on record, so they are left as booked.
ALTER TABLE dunning_steps ADD COLUMN due_minor INTEGER;
ALTER TABLE dunning_steps ADD COLUMN paid_by_day_minor INTEGER;

CREATE TABLE charge_corrections (
    id                 INTEGER PRIMARY KEY,
    invoice_id         INTEGER NOT NULL,
    level_id           INTEGER NOT NULL,
    -- Positive: credited back by `credit_note_id`; negative: charged again by
    -- `charge_invoice_id` (a credit taken back).
    fee_minor          INTEGER NOT NULL,
    interest_minor     INTEGER NOT NULL,
    credit_note_id     INTEGER REFERENCES payments(id),
    charge_invoice_id  INTEGER REFERENCES invoices(id),
    -- The payment recorded, or taken back, that showed it (NULL: a write-off).
    cause_payment_id   INTEGER REFERENCES payments(id),
    created_at         TEXT NOT NULL,
    CHECK ((credit_note_id IS NULL) <> (charge_invoice_id IS NULL)),
    CHECK ((credit_note_id IS NULL) = (fee_minor <= 0 AND interest_minor <= 0)),
    FOREIGN KEY (invoice_id, level_id) REFERENCES dunning_steps(invoice_id, level_id)
) STRICT;
CREATE INDEX charge_corrections_by_step ON charge_corrections (invoice_id, level_id);
CREATE INDEX charge_corrections_by_credit_note ON charge_corrections (credit_note_id) WHERE credit_note_id IS NOT NULL;
CREATE INDEX charge_corrections_by_charge ON charge_corrections (charge_invoice_id) WHERE charge_invoice_id IS NOT NULL;

-- What of an allocation the book's rule made (oldest invoice first), not the user: a payment
-- entered after a later-dated one takes that part back, so payments pay invoices in the
-- order they were received, whatever the order they were entered in. Allocations made before
-- this migration keep 0: they are left where they are.
ALTER TABLE allocations ADD COLUMN auto_minor INTEGER NOT NULL DEFAULT 0 CHECK (auto_minor >= 0);
