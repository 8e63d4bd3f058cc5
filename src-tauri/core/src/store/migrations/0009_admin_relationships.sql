-- RiskDesk schema 9: the customer's admin relationships (GDAP) as granted in Partner
-- Center: their roles, whether they include Global Administrator, and when they expire
-- (at most two years), so reports can show those close to expiry or broader than the
-- onboarding checks allow.
CREATE TABLE admin_relationships (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    roles         TEXT NOT NULL DEFAULT '' CHECK (length(roles) <= 2000),
    global_admin  INTEGER NOT NULL CHECK (global_admin IN (0, 1)),
    starts_on     TEXT NOT NULL,
    expires_on    TEXT NOT NULL CHECK (expires_on > starts_on),
    ended_on      TEXT,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX admin_relationships_by_customer ON admin_relationships(customer_id);
