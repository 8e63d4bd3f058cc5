-- Invoice numbers and payment references are found again by a key that a spreadsheet's
-- rewriting does not change (identity::reference_key: 00123 and 123 are one, and so are
-- full-width forms and case). The text stays as written. The keys of rows written before
-- this migration are filled in by the application when it opens the file.
ALTER TABLE invoices ADD COLUMN number_key TEXT;
CREATE INDEX invoices_by_number_key ON invoices (number_key);
ALTER TABLE payments ADD COLUMN reference_key TEXT;
CREATE INDEX payments_by_reference_key ON payments (customer_id, kind, reference_key);
