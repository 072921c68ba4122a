CREATE TABLE orders (
  id      int AUTO_INCREMENT PRIMARY KEY,
  item_id int NOT NULL,
  qty     int NOT NULL DEFAULT 1,
  FOREIGN KEY (item_id) REFERENCES items (id)
) ENGINE=InnoDB;
CREATE SEQUENCE invoice_numbers START WITH 1000;
