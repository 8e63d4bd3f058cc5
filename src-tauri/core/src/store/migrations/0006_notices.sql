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

-- The Partner Center activity log (audit records), kept as long as the user wants
-- (Partner Center keeps 90 days).
CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    -- The audit record's id; for a portal CSV row, "csv:" and the SHA-256 of the row.
    source_id     TEXT NOT NULL UNIQUE,
    at            TEXT NOT NULL,               -- UTC, RFC 3339
    tenant_id     TEXT NOT NULL DEFAULT '',
    customer_name TEXT NOT NULL DEFAULT '',
    customer_id   INTEGER REFERENCES customers(id),
    who           TEXT NOT NULL DEFAULT '',
    operation     TEXT NOT NULL,
    resource_type TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '{}',  -- JSON: customizedData as key/value
    import_id     INTEGER NOT NULL
) STRICT;

CREATE INDEX activity_by_customer ON activity(customer_id, at);

-- Abuse incidents: the guidance's categories, linked to the customer, subscriptions,
-- notices and alerts, with the actions taken (a suspension goes through the
-- subscription's own suspension history).
CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    category      TEXT NOT NULL CHECK (category IN ('spam', 'hacking', 'ddos', 'crypto_mining',
                    'malware', 'reselling_stolen', 'other')),
    summary       TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    opened_at     TEXT NOT NULL,
    opened_by     TEXT NOT NULL,
    closed_at     TEXT,
    closing_note  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE incident_links (
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    kind          TEXT NOT NULL CHECK (kind IN ('notice', 'alert', 'subscription')),
    ref_id        INTEGER NOT NULL,
    PRIMARY KEY (incident_id, kind, ref_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE incident_actions (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents(id),
    action          TEXT NOT NULL CHECK (action IN ('suspend_subscription', 'restrict_admin', 'contact_customer', 'other')),
    subscription_id INTEGER REFERENCES subscriptions(id),
    at              TEXT NOT NULL,
    who             TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT ''
) STRICT;
