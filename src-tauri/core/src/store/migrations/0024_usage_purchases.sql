-- Purchases a FOCUS file bills (reservations, Marketplace offers), per tenant, day and
-- currency: no usage, but money the reseller owes Microsoft at once. Counted in a customer's
-- exposure until a billed file covers them. A file that has the day again replaces its
-- figures, as usage days are; an unbilled file never replaces a billed day.
CREATE TABLE usage_purchases (
    tenant_id  TEXT NOT NULL,
    day        TEXT NOT NULL,
    currency   TEXT NOT NULL,
    total      TEXT NOT NULL,                -- exact sum of the rows' billed cost
    rows       INTEGER NOT NULL CHECK (rows > 0),
    billed     INTEGER NOT NULL CHECK (billed IN (0, 1)),
    PRIMARY KEY (tenant_id, day, currency)
) STRICT;
