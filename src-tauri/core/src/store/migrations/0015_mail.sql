-- RiskDesk schema 15: letters out by e-mail. A customer's billing e-mail (where its letters
-- go; its contact e-mail when empty), each policy level's e-mail subject and body in both
-- languages (the built-in ones when empty), and the log of every message RiskDesk drafted,
-- part of the audit trail.

ALTER TABLE customers ADD COLUMN billing_email TEXT NOT NULL DEFAULT '';

ALTER TABLE policy_levels ADD COLUMN email_subject_en TEXT NOT NULL DEFAULT '';
ALTER TABLE policy_levels ADD COLUMN email_subject_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE policy_levels ADD COLUMN email_body_en TEXT NOT NULL DEFAULT '';
ALTER TABLE policy_levels ADD COLUMN email_body_zh TEXT NOT NULL DEFAULT '';

CREATE TABLE mail_log (
    id                 INTEGER PRIMARY KEY,
    at                 TEXT NOT NULL,
    actor              TEXT NOT NULL,
    -- 'draft': an .eml message written for the owner's mail program.
    kind               TEXT NOT NULL CHECK (kind IN ('draft')),
    run_id             INTEGER REFERENCES dunning_runs(id),
    customer_id        INTEGER NOT NULL REFERENCES customers(id),
    recipient          TEXT NOT NULL,
    subject            TEXT NOT NULL,
    attachment         TEXT NOT NULL,
    attachment_sha256  TEXT NOT NULL,
    path               TEXT NOT NULL
) STRICT;
CREATE INDEX mail_log_by_run ON mail_log (run_id);
CREATE INDEX mail_log_by_customer ON mail_log (customer_id);
