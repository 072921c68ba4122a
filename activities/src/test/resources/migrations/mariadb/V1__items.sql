-- MariaDB's version of the application's first tables (the repository's runbooks/migrations/app is PostgreSQL SQL).
CREATE TABLE items (
  id    int AUTO_INCREMENT PRIMARY KEY,
  name  varchar(100) NOT NULL,
  price int NOT NULL DEFAULT 0
) ENGINE=InnoDB;
CREATE VIEW priced_items AS SELECT id, name FROM items WHERE price > 0;
