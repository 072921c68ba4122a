-- What users buy; an order always belongs to a user.
CREATE TABLE orders (
  id          bigserial   PRIMARY KEY,
  user_id     bigint      NOT NULL REFERENCES users (id),
  total_cents integer     NOT NULL CHECK (total_cents >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_id ON orders (user_id);
