-- A payment the bank or the card scheme took back (a charge-back, a returned transfer, a
-- recall): the payment stays on record with the day it was returned. From that day its
-- allocations no longer pay the invoices (they are open again) and it is no credit.
CREATE TABLE payment_returns (
    payment_id    INTEGER PRIMARY KEY REFERENCES payments(id),
    returned_on   TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('chargeback', 'returned', 'recalled')),
    note          TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
) STRICT;

-- What pays the invoices now: the allocations of payments not returned.
CREATE VIEW kept_allocations AS
    SELECT a.payment_id, a.invoice_id, a.amount_minor FROM allocations a
    WHERE NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = a.payment_id);

-- A bank line that undoes an earlier entry (CAMT RvslInd, MT940 RC/RD).
ALTER TABLE bank_lines ADD COLUMN reversal INTEGER NOT NULL DEFAULT 0 CHECK (reversal IN (0, 1));
