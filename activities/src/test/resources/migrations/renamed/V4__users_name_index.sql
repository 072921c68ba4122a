-- Deliberately wrong: written against a development schema where display_name was still called name.
CREATE INDEX users_name ON users (name);
