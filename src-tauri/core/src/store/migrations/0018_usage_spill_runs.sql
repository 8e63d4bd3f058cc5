-- The usage import's scratch table as sorted runs of packed lines: each spill appends its
-- lines, in key order, as blocks of about 64 KiB (one row each; the layout is in
-- usage/spill.rs), and reading back merges the runs. A row a block instead of a row a
-- line, and no index to keep up. The table is empty between imports.
DROP TABLE usage_spill;
CREATE TABLE usage_spill (
    data BLOB NOT NULL
) STRICT;
