-- Each account's lifetime totals per currency, kept by triggers in the same statement as the
-- invoice, payment or return that changes them (derived data: no audit row of its own). The
-- balance on a day is these totals less what happened after it, so the aging's credit held
-- reads one row per account and the few records dated after the day, not the whole book.
CREATE TABLE account_totals (
    customer_id        INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    -- Sum of invoices.total_minor.
    invoiced_minor     INTEGER NOT NULL DEFAULT 0,
    -- Sum of invoices.written_off_minor where written_off_on is set.
    written_off_minor  INTEGER NOT NULL DEFAULT 0,
    -- Sum of payments.amount_minor (payments and credit notes).
    paid_minor         INTEGER NOT NULL DEFAULT 0,
    -- Sum of the amounts of the payments taken back (payment_returns).
    returned_minor     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, currency)
) STRICT, WITHOUT ROWID;

INSERT INTO account_totals (customer_id, currency, invoiced_minor, written_off_minor)
    SELECT customer_id, currency, sum(total_minor),
           sum(CASE WHEN written_off_on IS NOT NULL THEN written_off_minor ELSE 0 END)
    FROM invoices GROUP BY customer_id, currency;
INSERT INTO account_totals (customer_id, currency, paid_minor)
    SELECT customer_id, currency, sum(amount_minor) FROM payments GROUP BY customer_id, currency
    ON CONFLICT (customer_id, currency) DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor;
INSERT INTO account_totals (customer_id, currency, returned_minor)
    SELECT p.customer_id, p.currency, sum(p.amount_minor)
    FROM payment_returns r JOIN payments p ON p.id = r.payment_id GROUP BY p.customer_id, p.currency
    ON CONFLICT (customer_id, currency) DO UPDATE SET returned_minor = returned_minor + excluded.returned_minor;

-- An invoice or a payment stays in its account (RiskDesk never moves one; the customer's
-- currency is locked once money is booked), so a change is a difference in its own row.
CREATE TRIGGER invoices_stay_in_their_account BEFORE UPDATE OF customer_id, currency ON invoices
    WHEN NEW.customer_id IS NOT OLD.customer_id OR NEW.currency IS NOT OLD.currency
    BEGIN SELECT RAISE(ABORT, 'an invoice keeps its customer and currency'); END;
CREATE TRIGGER payments_stay_in_their_account BEFORE UPDATE OF customer_id, currency ON payments
    WHEN NEW.customer_id IS NOT OLD.customer_id OR NEW.currency IS NOT OLD.currency
    BEGIN SELECT RAISE(ABORT, 'a payment keeps its customer and currency'); END;

CREATE TRIGGER account_totals_invoice_in AFTER INSERT ON invoices BEGIN
    INSERT INTO account_totals (customer_id, currency, invoiced_minor, written_off_minor)
    VALUES (NEW.customer_id, NEW.currency, NEW.total_minor,
            CASE WHEN NEW.written_off_on IS NOT NULL THEN NEW.written_off_minor ELSE 0 END)
    ON CONFLICT (customer_id, currency) DO UPDATE SET
        invoiced_minor = invoiced_minor + excluded.invoiced_minor,
        written_off_minor = written_off_minor + excluded.written_off_minor;
END;
CREATE TRIGGER account_totals_invoice_out AFTER DELETE ON invoices BEGIN
    UPDATE account_totals SET
        invoiced_minor = invoiced_minor - OLD.total_minor,
        written_off_minor = written_off_minor
            - CASE WHEN OLD.written_off_on IS NOT NULL THEN OLD.written_off_minor ELSE 0 END
    WHERE customer_id = OLD.customer_id AND currency = OLD.currency;
END;
CREATE TRIGGER account_totals_invoice_change
AFTER UPDATE OF total_minor, written_off_minor, written_off_on ON invoices BEGIN
    UPDATE account_totals SET
        invoiced_minor = invoiced_minor + NEW.total_minor - OLD.total_minor,
        written_off_minor = written_off_minor
            + CASE WHEN NEW.written_off_on IS NOT NULL THEN NEW.written_off_minor ELSE 0 END
            - CASE WHEN OLD.written_off_on IS NOT NULL THEN OLD.written_off_minor ELSE 0 END
    WHERE customer_id = NEW.customer_id AND currency = NEW.currency;
END;

-- A payment counts in paid_minor, and in returned_minor too while a return names it.
CREATE TRIGGER account_totals_payment_in AFTER INSERT ON payments BEGIN
    INSERT INTO account_totals (customer_id, currency, paid_minor)
    VALUES (NEW.customer_id, NEW.currency, NEW.amount_minor)
    ON CONFLICT (customer_id, currency) DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor;
END;
CREATE TRIGGER account_totals_payment_out AFTER DELETE ON payments BEGIN
    UPDATE account_totals SET
        paid_minor = paid_minor - OLD.amount_minor,
        returned_minor = returned_minor - CASE WHEN EXISTS
            (SELECT 1 FROM payment_returns r WHERE r.payment_id = OLD.id) THEN OLD.amount_minor ELSE 0 END
    WHERE customer_id = OLD.customer_id AND currency = OLD.currency;
END;
CREATE TRIGGER account_totals_payment_change AFTER UPDATE OF amount_minor ON payments BEGIN
    UPDATE account_totals SET
        paid_minor = paid_minor + NEW.amount_minor - OLD.amount_minor,
        returned_minor = returned_minor + CASE WHEN EXISTS
            (SELECT 1 FROM payment_returns r WHERE r.payment_id = NEW.id)
            THEN NEW.amount_minor - OLD.amount_minor ELSE 0 END
    WHERE customer_id = NEW.customer_id AND currency = NEW.currency;
END;
CREATE TRIGGER account_totals_return_in AFTER INSERT ON payment_returns BEGIN
    UPDATE account_totals SET returned_minor = returned_minor + p.amount_minor
    FROM (SELECT customer_id, currency, amount_minor FROM payments WHERE id = NEW.payment_id) AS p
    WHERE account_totals.customer_id = p.customer_id AND account_totals.currency = p.currency;
END;
CREATE TRIGGER account_totals_return_out AFTER DELETE ON payment_returns BEGIN
    UPDATE account_totals SET returned_minor = returned_minor - p.amount_minor
    FROM (SELECT customer_id, currency, amount_minor FROM payments WHERE id = OLD.payment_id) AS p
    WHERE account_totals.customer_id = p.customer_id AND account_totals.currency = p.currency;
END;

-- What happened after a day, read by date: invoices issued, payments received.
CREATE INDEX invoices_by_issue ON invoices (issued_on, customer_id, currency, total_minor);
CREATE INDEX payments_by_receipt ON payments (received_on, customer_id, currency, amount_minor);
-- Write-offs are few: all of them, with what the day needs.
CREATE INDEX invoices_written_off ON invoices (written_off_on, issued_on, customer_id, currency, written_off_minor)
    WHERE written_off_on IS NOT NULL;
