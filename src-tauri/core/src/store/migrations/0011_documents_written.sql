-- RiskDesk schema 11: the documents RiskDesk wrote where the user chose (Save As), by their
-- full path, so that Open and Show in folder reach exactly those files (and a dunning run's
-- own, which its stored record names), never a folder at large, a program or an app bundle.
CREATE TABLE documents_written (
    path        TEXT PRIMARY KEY CHECK (length(path) BETWEEN 1 AND 4096),
    written_at  TEXT NOT NULL
) STRICT;
