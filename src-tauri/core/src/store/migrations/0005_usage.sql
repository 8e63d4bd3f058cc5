-- RiskDesk schema 5: usage from Partner Center and FOCUS files, spending budgets, alerts.
--  * Usage is kept per customer tenant, Azure subscription and day, one line per meter and
--    region, with the file's amounts as exact decimal text (never floats). A later file for
--    the same tenant, subscription and day replaces that day (unbilled figures change until
--    billed); an unbilled file never replaces a billed day.
--  * Tenants seen in usage files are remembered with the customer they are linked to.

CREATE TABLE usage_tenants (
    tenant_id    TEXT PRIMARY KEY,             -- lower-case GUID as the file gives it
    name         TEXT NOT NULL,
    domain       TEXT NOT NULL,
    customer_id  INTEGER REFERENCES customers(id),
    first_seen   TEXT NOT NULL,                -- when RiskDesk first saw it (UTC)
    first_day    TEXT                          -- its first usage day
) STRICT;

CREATE TABLE usage_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('partner-center', 'focus')),
    imported_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    days_added   INTEGER NOT NULL,
    days_replaced INTEGER NOT NULL,
    days_kept    INTEGER NOT NULL
) STRICT;

CREATE TABLE usage_days (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES usage_tenants(tenant_id),
    subscription TEXT NOT NULL,                -- Azure subscription id (EntitlementId)
    usage_date   TEXT NOT NULL,
    currency     TEXT NOT NULL,
    billed       INTEGER NOT NULL CHECK (billed IN (0, 1)),
    total        TEXT NOT NULL,                -- exact sum of the day's lines
    -- What the detectors watch, summed from the day's lines (exact decimals): spend on
    -- GPU/HPC and on large VMs; quantities of outbound data transfer and messaging.
    gpu_cost     TEXT NOT NULL,
    large_vm_cost TEXT NOT NULL,
    egress_qty   TEXT NOT NULL,
    messaging_qty TEXT NOT NULL,
    digest       TEXT NOT NULL,                -- SHA-256 of the day's lines: unchanged days are not rewritten
    import_id    INTEGER NOT NULL REFERENCES usage_imports(id),
    UNIQUE (tenant_id, subscription, usage_date)
) STRICT;

CREATE INDEX usage_days_by_date ON usage_days(usage_date);

-- Each distinct meter and region once; lines point at it.
CREATE TABLE usage_meters (
    id           INTEGER PRIMARY KEY,
    category     TEXT NOT NULL,                -- MeterCategory (FOCUS: x_SkuMeterCategory or ServiceName)
    subcategory  TEXT NOT NULL,
    meter        TEXT NOT NULL,                -- MeterName
    region       TEXT NOT NULL,                -- normalised: upper case, no spaces
    unit         TEXT NOT NULL,
    -- What the meter is, for the misuse detectors (usage/classify.rs): gpu, large_vm, vm,
    -- egress, messaging or other.
    class        TEXT NOT NULL,
    UNIQUE (category, subcategory, meter, region, unit)
) STRICT;

CREATE TABLE usage_lines (
    day_id       INTEGER NOT NULL REFERENCES usage_days(id) ON DELETE CASCADE,
    meter_id     INTEGER NOT NULL REFERENCES usage_meters(id),
    quantity     TEXT NOT NULL,
    cost         TEXT NOT NULL,
    PRIMARY KEY (day_id, meter_id)
) STRICT, WITHOUT ROWID;

-- The first day each tenant used each region (kept up to date by imports; a region stays
-- "seen" even if a revised file later drops it, which can only keep an alert quiet).
CREATE TABLE usage_regions (
    tenant_id    TEXT NOT NULL,
    region       TEXT NOT NULL,
    first_day    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, region)
) STRICT, WITHOUT ROWID;

-- Scratch space of an import larger than memory: lines spilled in key order, read back and
-- emptied within the import's transaction, so it is empty between imports.
CREATE TABLE usage_spill (
    tenant       INTEGER NOT NULL,
    subscription INTEGER NOT NULL,
    raw_date     INTEGER NOT NULL,
    meter        INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    billed       INTEGER NOT NULL,
    quantity     BLOB NOT NULL,
    cost         BLOB NOT NULL,
    PRIMARY KEY (tenant, subscription, raw_date, meter, seq)
) STRICT, WITHOUT ROWID;

-- Monthly spending budgets: per customer, or per customer and subscription.
CREATE TABLE budgets (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    subscription TEXT NOT NULL DEFAULT '',     -- '' = every subscription of the customer
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    thresholds   TEXT NOT NULL,                -- percentages, ascending, e.g. "50,80,100,150"
    UNIQUE (customer_id, subscription)
) STRICT;

-- One inbox of alerts. `key` makes raising idempotent: the same finding is raised once.
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    severity     INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),  -- 4 = critical
    customer_id  INTEGER REFERENCES customers(id),
    tenant_id    TEXT,
    subscription TEXT,
    day          TEXT NOT NULL,                -- the day the finding starts
    title_en     TEXT NOT NULL,
    title_zh     TEXT NOT NULL,
    evidence     TEXT NOT NULL,                -- JSON: what was seen, against what baseline
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    note         TEXT NOT NULL DEFAULT '',
    raised_at    TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    changed_by   TEXT NOT NULL
) STRICT;

CREATE INDEX alerts_open ON alerts(status, severity DESC, day DESC);
