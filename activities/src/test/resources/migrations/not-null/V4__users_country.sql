-- Deliberately wrong: a NOT NULL column without a DEFAULT fails on a table that already has rows.
ALTER TABLE users ADD COLUMN country text NOT NULL;
