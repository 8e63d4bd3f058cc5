-- RiskDesk schema 8: subscription terms (for committed exposure and Microsoft's
-- cancellation window), seats added later (each with a window of its own), and the
-- dashboard's "done" marks. Existing subscriptions keep their rows: monthly term, billed
-- monthly, the current term starting on their start date.

ALTER TABLE subscriptions ADD COLUMN term TEXT NOT NULL DEFAULT 'monthly'
    CHECK (term IN ('monthly', 'annual', 'triennial'));
ALTER TABLE subscriptions ADD COLUMN billing TEXT NOT NULL DEFAULT 'monthly'
    CHECK (billing IN ('monthly', 'annual', 'upfront'));
-- The purchase or the latest renewal: the current term starts here.
ALTER TABLE subscriptions ADD COLUMN term_start_on TEXT NOT NULL DEFAULT '';
UPDATE subscriptions SET term_start_on = start_on;

CREATE TABLE subscription_seats (
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions(id),
    added_on         TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    recorded_at      TEXT NOT NULL
) STRICT;
CREATE INDEX subscription_seats_by_subscription ON subscription_seats(subscription_id);

-- An item of the dashboard's "needs action today" list marked as done. The item key
-- names the evidence and its state (a new state is a new item).
CREATE TABLE action_marks (
    id         INTEGER PRIMARY KEY,
    item       TEXT NOT NULL UNIQUE CHECK (length(item) BETWEEN 1 AND 200),
    note       TEXT NOT NULL DEFAULT '',
    marked_at  TEXT NOT NULL
) STRICT;
