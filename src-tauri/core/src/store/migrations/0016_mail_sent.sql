-- RiskDesk schema 16: letters sent over SMTP. The mail log now keeps messages sent ('sent',
-- with the server's reply) and attempts that failed ('failed', with the error) beside the
-- drafts, each with the document it carried (`document`: what "the same document" means
-- when the owner is asked before sending it twice). Like the audit trail, the log is only
-- ever added to.

CREATE TABLE mail_log_new (
    id                 INTEGER PRIMARY KEY,
    at                 TEXT NOT NULL,
    actor              TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('draft', 'sent', 'failed')),
    run_id             INTEGER REFERENCES dunning_runs(id),
    customer_id        INTEGER NOT NULL REFERENCES customers(id),
    recipient          TEXT NOT NULL,
    subject            TEXT NOT NULL,
    attachment         TEXT NOT NULL,
    attachment_sha256  TEXT NOT NULL,
    path               TEXT NOT NULL,
    -- The document, as `run:<run>:customer:<customer>` for a run's letter or
    -- `<kind>:<customer>:<sha256>` for a statement, policy or plan agreement.
    document           TEXT NOT NULL DEFAULT '',
    -- The server's answer to the message (its queue id) or the error.
    reply              TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO mail_log_new (id, at, actor, kind, run_id, customer_id, recipient, subject, attachment, attachment_sha256, path, document)
    SELECT id, at, actor, kind, run_id, customer_id, recipient, subject, attachment, attachment_sha256, path,
           CASE WHEN run_id IS NULL THEN '' ELSE 'run:' || run_id || ':customer:' || customer_id END
    FROM mail_log;
DROP TABLE mail_log;
ALTER TABLE mail_log_new RENAME TO mail_log;
CREATE INDEX mail_log_by_run ON mail_log (run_id);
CREATE INDEX mail_log_by_customer ON mail_log (customer_id);
CREATE INDEX mail_log_sent ON mail_log (document, recipient) WHERE kind = 'sent';

CREATE TRIGGER mail_log_rows_are_never_updated BEFORE UPDATE ON mail_log
BEGIN
    SELECT RAISE(ABORT, 'the mail log is append-only');
END;
CREATE TRIGGER mail_log_rows_are_never_deleted BEFORE DELETE ON mail_log
BEGIN
    SELECT RAISE(ABORT, 'the mail log is append-only');
END;
