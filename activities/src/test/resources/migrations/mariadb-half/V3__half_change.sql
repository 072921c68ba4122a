-- Deliberately half-applied on MariaDB: its DDL commits statement by statement, so the table and the column
-- added first stay when the index on a column that does not exist fails.
CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, at timestamp NOT NULL DEFAULT current_timestamp);
ALTER TABLE items ADD COLUMN discontinued boolean NOT NULL DEFAULT false;
CREATE INDEX items_colour ON items (colour);
