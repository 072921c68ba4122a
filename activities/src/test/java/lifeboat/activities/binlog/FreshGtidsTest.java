package lifeboat.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What FreshGtids leaves out of mariadb-binlog's SQL (the lines as mariadb-binlog 10.11 writes them). */
class FreshGtidsTest {
  static final String HEADER = "#261202 20:19:32 server id 1  end_log_pos 1063 CRC32 0xc547a8ee \tGTID 0-1-6 trans\n";
  static final String SETTINGS = "/*M!100101 SET @@session.skip_parallel_replication=0*//*!*/;\n"
      + "/*M!100001 SET @@session.gtid_domain_id=0*//*!*/;\n/*M!100001 SET @@session.server_id=1*//*!*/;\n";
  static final String SEQ = "/*M!100001 SET @@session.gtid_seq_no=6*//*!*/;\n";
  static final String BODY = "START TRANSACTION\n/*!*/;\n# at 1063\nCOMMIT/*!*/;\n";

  static String filtered(String sql) throws IOException {
    try (InputStream in = new FreshGtids(new ByteArrayInputStream(sql.getBytes(StandardCharsets.ISO_8859_1)))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void theSequenceNumberAfterAGtidHeaderGoesAndNothingElse() throws IOException {
    assertEquals(HEADER + SETTINGS + BODY, filtered(HEADER + SETTINGS + SEQ + BODY));
    assertEquals(HEADER + BODY, filtered(HEADER + SEQ + BODY), "right after the header");
    FreshGtids counted = new FreshGtids(new ByteArrayInputStream((HEADER + SEQ + BODY + HEADER.replace("0-1-6",
        "0-1-7") + SEQ.replace("=6", "=7") + BODY).getBytes(StandardCharsets.ISO_8859_1)));
    counted.readAllBytes();
    assertEquals(2, counted.gtidEvents());
  }

  @Test
  void aLineThatOnlyLooksLikeOneStays() throws IOException {
    assertEquals(SEQ + BODY, filtered(SEQ + BODY), "no header above it");
    assertEquals(HEADER + SEQ.replace("=6", "=5") + BODY, filtered(HEADER + SEQ.replace("=6", "=5") + BODY),
        "another number than the header's");
    String statement = "INSERT INTO t VALUES ('\n" + SEQ + "')\n";
    assertEquals(HEADER + BODY + statement, filtered(HEADER + SEQ + BODY + statement), "inside a statement's text");
  }

  @Test
  void longLinesAndCrlfAndAMissingLastNewlineStreamThrough() throws IOException {
    String longLine = "x".repeat(200_000) + "\n";
    assertEquals(longLine + HEADER + BODY + "tail", filtered(longLine + HEADER + SEQ + BODY + "tail"));
    assertEquals(HEADER.replace("\n", "\r\n") + BODY, filtered(HEADER.replace("\n", "\r\n")
        + SEQ.replace("\n", "\r\n") + BODY));
    String header513 = HEADER.replace("trans", "trans" + " ".repeat(600));
    assertEquals(header513 + SEQ + BODY, filtered(header513 + SEQ + BODY), "a header too long to look at is kept");
  }
}
