-- Columns added once the application had data, the safe way: a nullable column backfilled, and a NOT NULL
-- column that carries a DEFAULT, so existing rows get a value.
ALTER TABLE users ADD COLUMN display_name text;
UPDATE users SET display_name = split_part(email, '@', 1);
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'paid';
