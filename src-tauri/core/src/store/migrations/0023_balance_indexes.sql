-- The balance of every account on a day (the aging's credit held): each side summed per
-- customer and currency in index order, reading the index alone; write-offs are few.
CREATE INDEX invoices_balance ON invoices (customer_id, currency, issued_on, total_minor);
CREATE INDEX payments_balance ON payments (customer_id, currency, received_on, amount_minor);
CREATE INDEX invoices_written_off ON invoices (written_off_on, issued_on, customer_id, currency, written_off_minor)
    WHERE written_off_on IS NOT NULL;
