-- RiskDesk schema 4: collections a reseller can defend.
--  * Policy levels get stable ids; editing a policy keeps the ids of the levels it keeps and
--    retires (never deletes) the ones it drops, so applied steps keep pointing at them.
--  * Late fees and minimum overdue amounts are money: one amount per currency.
--  * A dunning step records the level id, the fee, and the interest with the period it
--    covers (interest_from exclusive .. interest_to inclusive), so interest is charged once.
--  * A dunning run stores what its documents are made from (the run record).

-- The majority currency of the customers (or TWD): where amounts typed before this schema,
-- which had no currency, are kept.
CREATE TEMP TABLE legacy_currency AS
SELECT COALESCE(
    (SELECT currency FROM customers GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1),
    'TWD') AS code;

CREATE TABLE levels_v4 (
    id              INTEGER PRIMARY KEY,
    policy_id       INTEGER NOT NULL REFERENCES collection_policies(id),
    -- The level's position in its policy (1..20); 0 once retired.
    seq             INTEGER NOT NULL CHECK (seq BETWEEN 0 AND 20),
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    days_after_due  INTEGER NOT NULL CHECK (days_after_due BETWEEN 0 AND 3650),
    name_en         TEXT NOT NULL,
    name_zh         TEXT NOT NULL,
    actions         TEXT NOT NULL,
    letter_en       TEXT NOT NULL,
    letter_zh       TEXT NOT NULL,
    interest_bp     INTEGER NOT NULL DEFAULT 0 CHECK (interest_bp BETWEEN 0 AND 10000),
    CHECK ((retired = 1) = (seq = 0))
) STRICT;

INSERT INTO levels_v4 (policy_id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, interest_bp)
SELECT policy_id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, interest_bp
FROM policy_levels ORDER BY policy_id, seq;

CREATE TABLE level_fees (
    level_id      INTEGER NOT NULL REFERENCES levels_v4(id),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (level_id, currency)
) STRICT;

INSERT INTO level_fees (level_id, currency, amount_minor)
SELECT n.id, (SELECT code FROM legacy_currency), o.late_fee_minor
FROM policy_levels o JOIN levels_v4 n ON n.policy_id = o.policy_id AND n.seq = o.seq
WHERE o.late_fee_minor > 0;

CREATE TABLE policy_minimums (
    policy_id     INTEGER NOT NULL REFERENCES collection_policies(id),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (policy_id, currency)
) STRICT;

INSERT INTO policy_minimums (policy_id, currency, amount_minor)
SELECT id, (SELECT code FROM legacy_currency), min_overdue_minor
FROM collection_policies WHERE min_overdue_minor > 0;

UPDATE collection_policies SET min_overdue_minor = 0;

CREATE TABLE steps_v4 (
    invoice_id         INTEGER NOT NULL REFERENCES invoices(id),
    level_id           INTEGER NOT NULL REFERENCES levels_v4(id),
    policy_id          INTEGER NOT NULL REFERENCES collection_policies(id),
    -- The level's position and day when it was applied (a later edit may change them).
    level_seq          INTEGER NOT NULL,
    days_after_due     INTEGER NOT NULL,
    run_id             INTEGER NOT NULL REFERENCES dunning_runs(id),
    applied_on         TEXT NOT NULL,
    fee_minor          INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    interest_minor     INTEGER NOT NULL DEFAULT 0 CHECK (interest_minor >= 0),
    interest_bp        INTEGER NOT NULL DEFAULT 0,
    -- The amount still due the interest was computed on.
    interest_on_minor  INTEGER NOT NULL DEFAULT 0,
    -- Interest charged for the days after interest_from up to and including interest_to.
    interest_from      TEXT,
    interest_to        TEXT,
    -- Set when the reviewer left this customer's charges out of the run: the period is
    -- then waived, not charged later.
    waived             INTEGER NOT NULL DEFAULT 0 CHECK (waived IN (0, 1)),
    PRIMARY KEY (invoice_id, level_id)
) STRICT;

-- Steps of schema 3 charged interest from the due date to the day they were applied.
INSERT INTO steps_v4 (invoice_id, level_id, policy_id, level_seq, days_after_due, run_id, applied_on,
                      fee_minor, interest_minor, interest_bp, interest_on_minor, interest_from, interest_to)
SELECT s.invoice_id, l.id, l.policy_id, s.level_seq, l.days_after_due, s.run_id, s.applied_on,
       CASE WHEN l.interest_bp = 0 THEN s.charge_minor ELSE 0 END,
       CASE WHEN l.interest_bp > 0 THEN s.charge_minor ELSE 0 END,
       l.interest_bp, 0,
       CASE WHEN l.interest_bp > 0 THEN i.due_on END,
       CASE WHEN l.interest_bp > 0 THEN s.applied_on END
FROM dunning_steps s
JOIN invoices i ON i.id = s.invoice_id
JOIN customers c ON c.id = i.customer_id
JOIN levels_v4 l ON l.seq = s.level_seq AND l.policy_id = COALESCE(c.policy_id,
    (SELECT id FROM collection_policies WHERE is_default = 1 ORDER BY id LIMIT 1));

DROP TABLE dunning_steps;
DROP TABLE policy_levels;
ALTER TABLE levels_v4 RENAME TO policy_levels;
ALTER TABLE steps_v4 RENAME TO dunning_steps;
CREATE UNIQUE INDEX policy_levels_position ON policy_levels (policy_id, seq) WHERE retired = 0;
CREATE INDEX dunning_steps_by_run ON dunning_steps (run_id);
DROP TABLE legacy_currency;

-- The run record: the reviewed plan's fingerprint and, as JSON, everything its letters and
-- its Partner Center list are made from (customers, plan lines, letterhead, paper).
ALTER TABLE dunning_runs ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE dunning_runs ADD COLUMN document TEXT NOT NULL DEFAULT '';
ALTER TABLE dunning_runs ADD COLUMN customers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dunning_runs ADD COLUMN letters INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dunning_runs ADD COLUMN charges TEXT NOT NULL DEFAULT '';
ALTER TABLE dunning_runs ADD COLUMN suspensions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dunning_runs ADD COLUMN output_dir TEXT NOT NULL DEFAULT '';
