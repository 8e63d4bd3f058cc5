-- A run sends nothing to a customer whose overdue total is under its policy's minimum. A
-- payment received by the run's day but recorded after it may show the customer was under
-- the minimum then: the run would have charged that customer nothing. For each customer a
-- run dunned under a policy with a minimum, the run keeps the minimum and, per invoice it
-- counted, what it found due and what payments received by its day had paid of it; a
-- payment recorded later compares the total with the minimum, and when it falls under it
-- every charge of that run to that customer is credited back. Runs before this migration
-- keep nothing here: they are left as booked.
CREATE TABLE dunning_minimums (
    run_id       INTEGER NOT NULL REFERENCES dunning_runs(id),
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    min_minor    INTEGER NOT NULL CHECK (min_minor > 0),
    PRIMARY KEY (run_id, customer_id)
) STRICT;

CREATE TABLE dunning_overdue (
    run_id             INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    invoice_id         INTEGER NOT NULL REFERENCES invoices(id),
    due_minor          INTEGER NOT NULL,
    paid_by_day_minor  INTEGER NOT NULL,
    PRIMARY KEY (run_id, customer_id, invoice_id),
    FOREIGN KEY (run_id, customer_id) REFERENCES dunning_minimums(run_id, customer_id)
) STRICT;
