-- A level whose run, as the payments recorded since show, would have sent the customer
-- nothing (what was overdue then was under the policy's minimum, or a payment plan kept
-- then held the invoice) was never reached: its charges go back, and a later run that finds
-- the customer over the minimum again, or the plan broken, takes the level again and
-- charges its fee and its days' interest as it would have had the payment been entered on
-- its day. So one invoice may now reach one level in more than one run: a step is keyed by
-- invoice, level and run, and a correction names the run's step.
--
-- `given_back`: the step's run would have sent nothing on this invoice (set and cleared as
-- payments are recorded and taken back); it does not count as reached.
-- `superseded_by`: a later run that took a level on the invoice while this step was given
-- back. The later run charged from where this one would have, so this one stays given back
-- whatever is recorded after.
CREATE TABLE steps_v27 (
    invoice_id         INTEGER NOT NULL REFERENCES invoices(id),
    level_id           INTEGER NOT NULL REFERENCES policy_levels(id),
    policy_id          INTEGER NOT NULL REFERENCES collection_policies(id),
    level_seq          INTEGER NOT NULL,
    days_after_due     INTEGER NOT NULL,
    run_id             INTEGER NOT NULL REFERENCES dunning_runs(id),
    applied_on         TEXT NOT NULL,
    fee_minor          INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    interest_minor     INTEGER NOT NULL DEFAULT 0 CHECK (interest_minor >= 0),
    interest_bp        INTEGER NOT NULL DEFAULT 0,
    interest_on_minor  INTEGER NOT NULL DEFAULT 0,
    interest_from      TEXT,
    interest_to        TEXT,
    waived             INTEGER NOT NULL DEFAULT 0 CHECK (waived IN (0, 1)),
    due_minor          INTEGER,
    paid_by_day_minor  INTEGER,
    given_back         INTEGER NOT NULL DEFAULT 0 CHECK (given_back IN (0, 1)),
    superseded_by      INTEGER REFERENCES dunning_runs(id),
    CHECK (superseded_by IS NULL OR given_back = 1),
    PRIMARY KEY (invoice_id, level_id, run_id)
) STRICT;

INSERT INTO steps_v27 (invoice_id, level_id, policy_id, level_seq, days_after_due, run_id, applied_on,
                       fee_minor, interest_minor, interest_bp, interest_on_minor, interest_from,
                       interest_to, waived, due_minor, paid_by_day_minor)
SELECT invoice_id, level_id, policy_id, level_seq, days_after_due, run_id, applied_on,
       fee_minor, interest_minor, interest_bp, interest_on_minor, interest_from,
       interest_to, waived, due_minor, paid_by_day_minor
FROM dunning_steps;

CREATE TABLE corrections_v27 (
    id                 INTEGER PRIMARY KEY,
    invoice_id         INTEGER NOT NULL,
    level_id           INTEGER NOT NULL,
    run_id             INTEGER NOT NULL,
    fee_minor          INTEGER NOT NULL,
    interest_minor     INTEGER NOT NULL,
    credit_note_id     INTEGER REFERENCES payments(id),
    charge_invoice_id  INTEGER REFERENCES invoices(id),
    cause_payment_id   INTEGER REFERENCES payments(id),
    created_at         TEXT NOT NULL,
    CHECK ((credit_note_id IS NULL) <> (charge_invoice_id IS NULL)),
    CHECK ((credit_note_id IS NULL) = (fee_minor <= 0 AND interest_minor <= 0)),
    FOREIGN KEY (invoice_id, level_id, run_id) REFERENCES steps_v27(invoice_id, level_id, run_id)
) STRICT;

-- Until now an invoice reached a level once: the step a correction names is the one.
INSERT INTO corrections_v27 (id, invoice_id, level_id, run_id, fee_minor, interest_minor,
                             credit_note_id, charge_invoice_id, cause_payment_id, created_at)
SELECT c.id, c.invoice_id, c.level_id, s.run_id, c.fee_minor, c.interest_minor,
       c.credit_note_id, c.charge_invoice_id, c.cause_payment_id, c.created_at
FROM charge_corrections c
JOIN dunning_steps s ON s.invoice_id = c.invoice_id AND s.level_id = c.level_id;

DROP TABLE charge_corrections;
DROP TABLE dunning_steps;
ALTER TABLE steps_v27 RENAME TO dunning_steps;
ALTER TABLE corrections_v27 RENAME TO charge_corrections;
CREATE INDEX dunning_steps_by_run ON dunning_steps (run_id);
-- At most one step of a level on an invoice counts as reached.
CREATE UNIQUE INDEX dunning_steps_reached ON dunning_steps (invoice_id, level_id) WHERE given_back = 0;
CREATE INDEX charge_corrections_by_step ON charge_corrections (invoice_id, level_id, run_id);
CREATE INDEX charge_corrections_by_credit_note ON charge_corrections (credit_note_id) WHERE credit_note_id IS NOT NULL;
CREATE INDEX charge_corrections_by_charge ON charge_corrections (charge_invoice_id) WHERE charge_invoice_id IS NOT NULL;
