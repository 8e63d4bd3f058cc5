-- The part of a usage day Microsoft's Azure credit pays (Partner Center's CreditPercentage: 0 or
-- 100 on each row), as an exact decimal like `total`. `total` stays the file's sum of
-- BillingPreTaxTotal; what the reseller is billed for the day is `total - credited`. Days
-- imported before this column have no credit recorded.
ALTER TABLE usage_days ADD COLUMN credited TEXT NOT NULL DEFAULT '0';
