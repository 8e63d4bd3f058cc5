-- A customer's rows in these tables are read by the customer's id, for every customer at once
-- when the risk model reads its facts (one lookup per customer and table). Without an index each
-- lookup read the whole table: a book of 10,000 customers, each with its Microsoft tenant,
-- scored in 10.4 s instead of 0.5 s.
CREATE INDEX usage_tenants_by_customer ON usage_tenants (customer_id);
CREATE INDEX prepayment_requests_by_customer ON prepayment_requests (customer_id);
CREATE INDEX promises_by_customer ON promises (customer_id);
CREATE INDEX alerts_by_customer ON alerts (customer_id);
CREATE INDEX notices_by_customer ON notices (customer_id);
CREATE INDEX incidents_by_customer ON incidents (customer_id);
CREATE INDEX incident_actions_by_incident ON incident_actions (incident_id);
