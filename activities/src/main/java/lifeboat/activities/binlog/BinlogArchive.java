package lifeboat.activities.binlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.config.Config;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.pipeline.SealedObjects;
import lifeboat.activities.repository.OutOfSpace;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Keys;
import lifeboat.workflows.model.BinlogNames;

/**
 * A MariaDB database's binary log in its repository, one object per file, self-describing by its key as the WAL
 * archive is: {@code binlog/<db>/<file>.<full|partial>.<bytes, 12 hex>.<last event, epoch s>-<sha256>.zst[.pgp]}.
 * A full object is a file the server has rotated away from; a partial one is the file being written, as far as
 * its last complete event, replaced as it grows. The listing alone answers what is archived up to when.
 */
final class BinlogArchive {
  private static final Pattern KEY = Pattern.compile(
      "([^/]+)\\.(full|partial)\\.([0-9A-F]{12})\\.(\\d+)-([0-9a-f]{64})\\.zst(\\.pgp)?");

  private final Repository repo;
  private final String database;
  private final List<RecipientKey> recipients;
  private final int zstdLevel;

  BinlogArchive(Repository repo, String database, List<RecipientKey> recipients, int zstdLevel) {
    this.repo = repo;
    this.database = database;
    this.recipients = recipients;
    this.zstdLevel = zstdLevel;
  }

  static String prefix(String database) {
    return "binlog/" + database + "/";
  }

  /**
   * One stored object.
   *
   * @param name             the binlog file's name on the server (binlog.000042)
   * @param full             the whole file (the server moved on to the next one)
   * @param bytes            its bytes: the magic and complete events
   * @param lastEventSecond  the timestamp of its newest event, epoch seconds
   */
  record Entry(String key, String name, boolean full, long bytes, long lastEventSecond, String sha256,
      boolean encrypted) {}

  /** Every object, in binlog order (by file, then full before partial, then longer first). */
  List<Entry> list() {
    List<Entry> entries = new ArrayList<>();
    for (String key : repo.list(prefix(database))) {
      Matcher m = KEY.matcher(key.substring(prefix(database).length()));
      if (m.matches() && BinlogNames.valid(m.group(1))) { // a name is a file name: never ../ on the way back
        entries.add(new Entry(key, m.group(1), m.group(2).equals("full"), Long.parseLong(m.group(3), 16),
            Long.parseLong(m.group(4)), m.group(5), m.group(6) != null));
      }
    }
    entries.sort(Comparator.comparing(Entry::name, BinlogNames.ORDER).thenComparing(e -> !e.full())
        .thenComparing(Comparator.comparingLong(Entry::bytes).reversed()));
    return entries;
  }

  /**
   * The most of each file the archive holds: its full object, else its longest partial one; in binlog order.
   */
  List<Entry> freshest() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : list()) {
      if (out.isEmpty() || !out.get(out.size() - 1).name().equals(e.name())) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Stores a rotated file whole, then removes its partial objects. The same content again is harmless (a worker
   * killed after the store); other content under the same file name is refused: another server, or a server
   * whose binlog numbering started over, writing into one archive.
   */
  boolean storeFull(String name, Path file, BinlogScan scan, Runnable heartbeat) {
    for (Entry e : list()) {
      if (e.name().equals(name) && e.full()) {
        if (e.sha256().equals(scan.sha256())) {
          removePartials(name);
          return false;
        }
        throw new LifeboatException(ErrorCode.WAL_SEGMENT_CONFLICT, "binlog file " + name + " of " + database
            + " is already archived with other content (" + e.key() + "; received sha256 " + scan.sha256() + ")",
            "another server may be archiving into " + prefix(database) + ", or this one's binlog numbering started"
                + " over (RESET MASTER): archive it under another database name");
      }
    }
    seal(key(name, true, scan), file, scan.completeBytes(), heartbeat);
    removePartials(name);
    return true;
  }

  /** Stores the complete events of the file being written, replacing its shorter partial objects. */
  void storePartial(String name, Path file, BinlogScan scan, Runnable heartbeat) {
    String key = key(name, false, scan);
    seal(key, file, scan.completeBytes(), heartbeat);
    for (Entry e : list()) {
      if (e.name().equals(name) && !e.full() && !e.key().equals(key)) {
        repo.remove(e.key());
      }
    }
  }

  private void removePartials(String name) {
    for (Entry e : list()) {
      if (e.name().equals(name) && !e.full()) {
        repo.remove(e.key());
      }
    }
  }

  private String key(String name, boolean full, BinlogScan scan) {
    return prefix(database) + name + (full ? ".full." : ".partial.") + String.format("%012X", scan.completeBytes())
        + "." + scan.lastEventSecond() + "-" + scan.sha256() + (recipients.isEmpty() ? ".zst" : ".zst.pgp");
  }

  /** Seals the first {@code bytes} of the file under {@code key}, heartbeating as it goes (a file may be 1 GB). */
  private void seal(String key, Path file, long bytes, Runnable heartbeat) {
    try (InputStream in = Files.newInputStream(file)) {
      SealedObjects.store(new BoundedStream(in, bytes), () -> { }, repo, key, recipients, zstdLevel,
          new Progress(stored -> heartbeat.run(), 2_000));
    } catch (IOException e) {
      if (OutOfSpace.in(e)) {
        throw OutOfSpace.failure("archiving the binlog to " + key, repo.locate(key), e);
      }
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "archiving the binlog to " + repo.locate(key)
          + " failed: " + e.getMessage(), "retried; the server keeps its binlog files until they are purged");
    }
  }

  /**
   * Writes an entry's plain content to {@code file}, checked against the SHA-256 in its key before the file is
   * there: a damaged or altered object never reaches mariadb-binlog.
   */
  void readTo(Config cfg, Entry entry, Path file) {
    Path part = file.resolveSibling(file.getFileName() + ".fetching");
    try (InputStream stored = repo.read(entry.key());
         InputStream plain = Compression.decompress(entry.encrypted() ? Keys.decrypt(cfg, stored) : stored);
         OutputStream out = Files.newOutputStream(part)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = plain.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
      }
      String actual = java.util.HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(entry.sha256())) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived binlog " + entry.key() + " does not match"
            + " its checksum (sha256 " + actual + ")", "the object was altered or damaged in the repository; restore"
                + " to a moment before it");
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    } catch (IOException e) {
      deleteQuietly(part);
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived binlog " + entry.key() + " is unreadable: "
          + e.getMessage(), "the object was altered or damaged in the repository");
    } catch (RuntimeException e) {
      deleteQuietly(part);
      throw e;
    }
    try {
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot write " + file + ": " + e.getMessage(), "retried");
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // in the replay's own temp folder, removed with it
    }
  }

  /** The first {@code limit} bytes of a stream: a file being written may have grown past its scan. */
  private static final class BoundedStream extends java.io.FilterInputStream {
    private long left;

    BoundedStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
