-- Deliberately wrong: the status column holds words ('paid'), which do not convert to integer codes.
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT, ALTER COLUMN status TYPE integer USING status::integer;
