package lifeboat.activities.binlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mariadb-binlog's SQL with each transaction's {@code SET @@session.gtid_seq_no=N} left out, so that the target
 * server gives the replayed transactions sequence numbers of its own, after those it has logged. Kept, they
 * would be the source's old numbers: a server under gtid_strict_mode refuses them (ERROR 1950, half-way through
 * the replay), and one without logs them out of order, into the very binlog a later restore of the same server
 * replays. The dump's restore before the replay already got the target's own numbers, so the replay's are the
 * same kind. mariadb-binlog has no option for this (MySQL's has {@code --skip-gtids}).
 *
 * <p>Only the line after a GTID event's header comment ({@code #261202 20:19:31 server id 1 end_log_pos 631
 * CRC32 0x... GTID 0-1-4 trans}) and its other session settings ({@code gtid_domain_id}, {@code server_id}) that
 * sets that very number is left out: a statement's text cannot be one (a line of a statement could only look
 * like it by also repeating the header above it). Lines are looked at
 * only while short; anything longer streams through unchanged, so nothing is held but 512 bytes.
 */
final class FreshGtids extends InputStream {
  private static final int CANDIDATE = 512;
  private static final Pattern HEADER = Pattern.compile(
      "#\\d{6} +\\d{1,2}:\\d\\d:\\d\\d server id \\d+ .*\\tGTID \\d+-\\d+-(\\d+)( .*)?");
  private static final Pattern SESSION_SET = Pattern.compile("/\\*M!\\d+ SET @@session\\.\\w+=\\d+\\*//\\*!\\*/;");
  private static final String SET_PREFIX = "/*M!100001 SET @@session.gtid_seq_no=";
  private static final String SET_SUFFIX = "*//*!*/;";

  private final InputStream in;
  private final byte[] chunk = new byte[64 * 1024];
  private final byte[] pending = new byte[chunk.length + CANDIDATE];
  private int pendingPos;
  private int pendingLen;
  private final byte[] line = new byte[CANDIDATE];
  private int lineLen;
  private boolean longLine; // inside a line longer than CANDIDATE: copied as it comes
  private String headerSeq; // the sequence number of the GTID header just read, else null
  private long left;
  private boolean ended;

  FreshGtids(InputStream in) {
    this.in = in;
  }

  /**
   * How many {@code gtid_seq_no} settings were left out: one per GTID event read, including the transactions of
   * other databases that {@code --database} emptied (the server logs nothing for an empty one).
   */
  long gtidEvents() {
    return left;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pendingPos == pendingLen) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, pendingLen - pendingPos);
    System.arraycopy(pending, pendingPos, b, off, n);
    pendingPos += n;
    return n;
  }

  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    pendingPos = 0;
    pendingLen = 0;
    int n = in.read(chunk);
    if (n < 0) {
      ended = true;
      emit(line, lineLen); // a last line without a newline
      lineLen = 0;
      return pendingLen > 0;
    }
    for (int i = 0; i < n; i++) {
      byte c = chunk[i];
      if (longLine) {
        pending[pendingLen++] = c;
        longLine = c != '\n';
        continue;
      }
      line[lineLen++] = c;
      if (c == '\n') {
        endLine();
      } else if (lineLen == CANDIDATE) {
        emit(line, lineLen);
        lineLen = 0;
        longLine = true;
        headerSeq = null;
      }
    }
    return true;
  }

  private void endLine() {
    int end = lineLen - 1;
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    String text = new String(line, 0, end, StandardCharsets.ISO_8859_1);
    if (headerSeq != null && text.equals(SET_PREFIX + headerSeq + SET_SUFFIX)) {
      left++;
      headerSeq = null;
    } else if (headerSeq != null && SESSION_SET.matcher(text).matches()) {
      emit(line, lineLen); // the GTID's other settings (domain, server id...) come between: still after the header
    } else {
      emit(line, lineLen);
      Matcher m = text.startsWith("#") ? HEADER.matcher(text) : null;
      headerSeq = m != null && m.matches() ? m.group(1) : null;
    }
    lineLen = 0;
  }

  private void emit(byte[] bytes, int count) {
    System.arraycopy(bytes, 0, pending, pendingLen, count);
    pendingLen += count;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
