-- RiskDesk schema 1: customers, onboarding checks, subscriptions and the audit trail.
-- Shipped migrations are never edited; add a new file instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    legal_name          TEXT NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    tenant_id           TEXT UNIQUE CHECK (tenant_id IS NULL OR length(tenant_id) = 36),
    primary_domain      TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL CHECK (length(country) = 2),
    address             TEXT NOT NULL DEFAULT '',
    contact_name        TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    tax_id              TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    language            TEXT NOT NULL CHECK (language IN ('en', 'zh-TW')),
    payment_terms_days  INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    credit_limit_minor  INTEGER NOT NULL CHECK (credit_limit_minor >= 0),
    payment_instrument  TEXT NOT NULL CHECK (payment_instrument IN
        ('bank_transfer', 'direct_debit', 'credit_card', 'debit_card', 'prepaid_card', 'stored_value_card')),
    card_present        INTEGER NOT NULL CHECK (card_present IN (0, 1)),
    admin_access        TEXT NOT NULL CHECK (admin_access IN ('none', 'limited', 'full')),
    status              TEXT NOT NULL CHECK (status IN ('prospect', 'active', 'on_hold', 'suspended', 'closed')),
    notes               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE onboarding_checks (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    item        TEXT NOT NULL CHECK (item IN
        ('phone_contact', 'credit_check', 'mfa', 'identity_verified', 'card_fraud_check', 'policy_acknowledged')),
    done_on     TEXT NOT NULL CHECK (done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    done_by     TEXT NOT NULL,
    reference   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, item)
) STRICT;

CREATE TABLE subscriptions (
    id                   INTEGER PRIMARY KEY,
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    offer                TEXT NOT NULL CHECK (length(offer) BETWEEN 1 AND 200),
    pc_subscription_id   TEXT NOT NULL DEFAULT '',
    quantity             INTEGER NOT NULL CHECK (quantity > 0),
    monthly_price_minor  INTEGER NOT NULL CHECK (monthly_price_minor >= 0),
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    start_on             TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);

CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
    action          TEXT NOT NULL CHECK (action IN ('suspend', 'reactivate', 'cancel')),
    reason          TEXT NOT NULL CHECK (reason IN
        ('non_payment', 'suspected_fraud', 'acceptable_use_violation', 'customer_request', 'other')),
    happened_on     TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX subscription_events_by_subscription ON subscription_events (subscription_id);

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    os_user    TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_entity ON audit (entity, entity_id);

CREATE TRIGGER audit_rows_are_never_updated BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_rows_are_never_deleted BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
