-- The usage import keeps its spilled runs in a scratch database of its own (usage/spill.rs),
-- no longer in the book: the table is always empty between imports and goes.
DROP TABLE usage_spill;
