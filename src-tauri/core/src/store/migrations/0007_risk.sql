-- RiskDesk schema 7: the risk score's history. A row is written when a customer's score,
-- level or set of factors changes, so reports can show the trend.
CREATE TABLE risk_history (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    computed_at  TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    level        TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
    factors      TEXT NOT NULL             -- JSON: [{key, points}]
) STRICT;

CREATE INDEX risk_history_by_customer ON risk_history(customer_id, id);
