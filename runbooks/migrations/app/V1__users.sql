-- The application's first table: who signs in.
CREATE TABLE users (
  id         bigserial   PRIMARY KEY,
  email      text        NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
