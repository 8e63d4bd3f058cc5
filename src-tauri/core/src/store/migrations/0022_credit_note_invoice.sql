-- The invoice a payment or credit note names (its `invoice` column or the window's choice):
-- the credit notes naming one invoice may together take back no more than it charged.
-- Records written before this migration name none (NULL).
ALTER TABLE payments ADD COLUMN names_invoice INTEGER REFERENCES invoices(id);
CREATE INDEX payments_by_named_invoice ON payments (names_invoice) WHERE names_invoice IS NOT NULL;
