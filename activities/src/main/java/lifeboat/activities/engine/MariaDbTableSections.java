package lifeboat.activities.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a mariadb-dump stream that restores some tables, cut out as the stream passes: the dump's head
 * (its SET statements: character set, foreign key checks off, SQL mode, time zone) and, for each wanted table,
 * its section, which mariadb-dump writes as one run of lines from {@code -- Table structure for table `t`}: the
 * DROP/CREATE TABLE, {@code -- Dumping data for table `t`} with its INSERTs, then the table's triggers. Every
 * other section (other tables, views' stand-ins and final definitions, routines, events, the tail) is skipped.
 *
 * <p>Line-based and byte-transparent (ISO-8859-1 maps each byte to one char): mariadb-dump escapes the newlines
 * inside values, so a marker can only be a line of the dump itself. Only one line is held at a time; an
 * extended INSERT line is at most mariadb-dump's net_buffer_length (1 MB by default).
 */
final class MariaDbTableSections extends InputStream {
  private static final String TABLE = "-- Table structure for table `";
  private static final String DATA = "-- Dumping data for table `";
  /** Where a section that is not a table's begins. */
  private static final List<String> OTHER = List.of("-- Temporary table structure for view ",
      "-- Temporary view structure for view ", "-- Final view structure for view ", "-- Dumping events for database ",
      "-- Dumping routines for database ", "-- Dump completed");

  private final InputStream in;
  private final Set<String> wanted;
  private final Set<String> found = new LinkedHashSet<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
  private byte[] pending = new byte[0];
  private int pos;
  private boolean head = true;
  private boolean keep = true;
  private boolean ended;

  /** @param tables table names as the dump writes them (unquoted) */
  MariaDbTableSections(InputStream in, Set<String> tables) {
    this.in = new java.io.BufferedInputStream(in, 64 * 1024);
    this.wanted = tables;
  }

  /** The wanted tables whose section has passed so far; all of them once the stream was read to its end. */
  Set<String> found() {
    return found;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (pos == pending.length) {
      if (ended || !nextLine()) {
        return -1;
      }
    }
    int n = Math.min(len, pending.length - pos);
    System.arraycopy(pending, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Reads the next line and decides whether it passes; false at the end of the stream. */
  private boolean nextLine() throws IOException {
    line.reset();
    int c;
    while ((c = in.read()) >= 0) {
      line.write(c);
      if (c == '\n') {
        break;
      }
    }
    if (line.size() == 0) {
      ended = true;
      return false;
    }
    byte[] bytes = line.toByteArray();
    if (bytes.length > 3 && bytes[0] == '-' && bytes[1] == '-' && bytes[2] == ' ') {
      section(new String(bytes, StandardCharsets.ISO_8859_1).stripTrailing());
    }
    pending = keep ? bytes : new byte[0];
    pos = 0;
    return true;
  }

  private void section(String comment) {
    String table = comment.startsWith(TABLE) ? name(comment, TABLE)
        : comment.startsWith(DATA) ? name(comment, DATA) : null;
    if (table != null) {
      head = false;
      keep = wanted.contains(table);
      if (keep) {
        found.add(table);
      }
    } else if (OTHER.stream().anyMatch(comment::startsWith)) {
      head = false;
      keep = false;
    }
  }

  /** `t` after the marker, with mariadb-dump's doubled backticks undone. */
  private static String name(String comment, String marker) {
    String rest = comment.substring(marker.length());
    return rest.endsWith("`") ? rest.substring(0, rest.length() - 1).replace("``", "`") : rest;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
