-- RiskDesk schema 10: usage in any currency, and meters that mean what they say.
--  * The watched measures of a day gain hours (GPU/HPC and large VMs) so the detectors can
--    tell a sustained, around-the-clock run from a one-hour job. `egress_qty` is from now on
--    gigabytes of outbound transfer only and `messaging_qty` a count of messages, both
--    normalised by the unit of measure; stored days are recomputed from their lines when
--    the database is opened (usage/watched.rs).
--  * `usage_rates`: the exchange rates the usage files carry (Partner Center
--    `PCToBCExchangeRate`, FOCUS `x_BillingExchangeRate`): one unit of the pricing currency
--    is `rate` units of the billing currency on that usage day.
--  * `exchange_rates`: the dated rates the owner keeps (audited), used where a file's rate
--    does not apply.
ALTER TABLE usage_days ADD COLUMN gpu_hours TEXT NOT NULL DEFAULT '0';
ALTER TABLE usage_days ADD COLUMN large_vm_hours TEXT NOT NULL DEFAULT '0';

CREATE TABLE usage_rates (
    usage_date       TEXT NOT NULL,
    pricing_currency TEXT NOT NULL,
    billing_currency TEXT NOT NULL,
    rate             TEXT NOT NULL,
    PRIMARY KEY (usage_date, pricing_currency, billing_currency)
) STRICT, WITHOUT ROWID;

CREATE TABLE exchange_rates (
    id            INTEGER PRIMARY KEY,
    rate_on       TEXT NOT NULL,
    from_currency TEXT NOT NULL CHECK (length(from_currency) = 3),
    to_currency   TEXT NOT NULL CHECK (length(to_currency) = 3 AND to_currency <> from_currency),
    rate          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at    TEXT NOT NULL,
    UNIQUE (rate_on, from_currency, to_currency)
) STRICT;
