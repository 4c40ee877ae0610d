-- Trigram search over diacritic-folded text (the folding itself is done by Sen's domain code).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
