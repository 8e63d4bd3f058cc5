-- The risk model counts each customer's disputes of the last year from the audit trail, at
-- every scoring (after each write). By `audit_by_entity` it read every audit row of every
-- invoice ever booked (a row each time one is added, paid or changed), a cost that grew with
-- the years kept rather than with the disputes; by this index it reads the disputes alone.
CREATE INDEX audit_by_action ON audit (entity, action, at);
