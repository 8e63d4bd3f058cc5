-- RiskDesk schema 6: Microsoft's notices (fraud and security alerts, acceptable-use and
-- suspension notices) with their workflow, abuse incidents, and the Partner Center
-- activity log.

CREATE TABLE notices (
    id            INTEGER PRIMARY KEY,
    -- The alert's id in Partner Center (eventId) or Microsoft Graph (id); NULL when typed.
    source_id     TEXT UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('acceptable_use', 'fraud_alert', 'crypto_mining', 'suspension', 'other')),
    alert_type    TEXT NOT NULL DEFAULT '',
    received_at   TEXT NOT NULL,               -- UTC, RFC 3339
    first_seen    TEXT,
    last_seen     TEXT,
    customer_id   INTEGER REFERENCES customers(id),
    tenant_id     TEXT NOT NULL DEFAULT '',
    subscription  TEXT NOT NULL DEFAULT '',
    resources     TEXT NOT NULL DEFAULT '[]',  -- JSON array of resource ids
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    body          TEXT NOT NULL DEFAULT '',
    severity      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('received', 'investigating', 'action_taken', 'responded',
                    'resolved_legitimate', 'resolved_fraud', 'resolved_ignored')),
    -- Resolved as fraud: the first day of fraudulent usage starts the credit claim window.
    fraud_from    TEXT,
    claim_filed_on TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE notice_steps (
    id            INTEGER PRIMARY KEY,
    notice_id     INTEGER NOT NULL REFERENCES notices(id),
    status        TEXT NOT NULL,
    at            TEXT NOT NULL,
    who           TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX notice_steps_by_notice ON notice_steps(notice_id, id);
