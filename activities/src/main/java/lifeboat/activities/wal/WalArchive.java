package lifeboat.activities.wal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lifeboat.activities.config.Config;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.pipeline.SealedObjects;
import lifeboat.activities.pipeline.Sha256;
import lifeboat.activities.repository.OutOfSpace;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Keys;

/**
 * A database's WAL archive in its repository, self-describing as pgBackRest's is: every object's name says what
 * it holds and the SHA-256 of its plain content, so a listing alone tells the archived range, the gaps and what
 * to check a fetched segment against.
 *
 * <pre>
 *   wal/&lt;db&gt;/archive.json                                   the archive's state (ArchiveState)
 *   wal/&lt;db&gt;/&lt;TTTTTTTTXXXXXXXX&gt;/&lt;segment&gt;-&lt;sha256&gt;.zst.pgp          a full segment
 *   wal/&lt;db&gt;/&lt;TTTTTTTTXXXXXXXX&gt;/&lt;segment&gt;.partial.&lt;bytes hex&gt;-&lt;sha256&gt;.zst.pgp   its first bytes so far
 *   wal/&lt;db&gt;/history/&lt;TTTTTTTT&gt;.history-&lt;sha256&gt;.zst.pgp     a timeline's history file
 * </pre>
 *
 * Unencrypted databases drop the {@code .pgp}. Each object is sealed like a dump ({@link SealedObjects}).
 */
public final class WalArchive {
  private static final String PARTIAL = ".partial.";

  private final Repository repo;
  private final String database;
  private final List<RecipientKey> recipients;
  private final int zstdLevel;

  public WalArchive(Repository repo, String database, List<RecipientKey> recipients, int zstdLevel) {
    this.repo = repo;
    this.database = database;
    this.recipients = List.copyOf(recipients);
    this.zstdLevel = zstdLevel;
  }

  public static String prefix(String database) {
    return "wal/" + database + "/";
  }

  public Repository repository() {
    return repo;
  }

  /** One stored object of the archive, as its key names it. */
  public record Entry(String key, String name, String sha256, boolean encrypted) {
    /** For a partial segment: its segment's name and how many bytes it holds; else null and -1. */
    public String partialOf() {
      int at = name.indexOf(PARTIAL);
      return at < 0 ? null : name.substring(0, at);
    }

    public long partialBytes() {
      int at = name.indexOf(PARTIAL);
      return at < 0 ? -1 : Long.parseLong(name.substring(at + PARTIAL.length()), 16);
    }

    /** The entry a key of the archive stands for; IllegalArgumentException for any other key. */
    public static Entry of(String key) {
      return entry(key).orElseThrow(() -> new IllegalArgumentException("not a WAL archive object: " + key));
    }

    public boolean isSegment() {
      return WalNames.isSegmentName(name);
    }

    public boolean isHistory() {
      return name.endsWith(".history");
    }
  }

  /** Every object of the archive but archive.json, in key order. */
  public List<Entry> list() {
    List<Entry> entries = new ArrayList<>();
    for (String key : repo.list(prefix(database))) {
      entry(key).ifPresent(entries::add);
    }
    return entries;
  }

  private List<Entry> listFolder(String folder) {
    List<Entry> entries = new ArrayList<>();
    for (String key : repo.list(folder)) {
      entry(key).ifPresent(entries::add);
    }
    return entries;
  }

  /** The entry a key stands for, or empty for one that is not an archive object (archive.json, a stray file). */
  static Optional<Entry> entry(String key) {
    String file = key.substring(key.lastIndexOf('/') + 1);
    boolean encrypted = file.endsWith(".zst.pgp");
    if (!encrypted && !file.endsWith(".zst")) {
      return Optional.empty();
    }
    String stem = file.substring(0, file.length() - (encrypted ? ".zst.pgp".length() : ".zst".length()));
    int dash = stem.lastIndexOf('-');
    if (dash <= 0 || stem.length() - dash - 1 != 64) {
      return Optional.empty();
    }
    return Optional.of(new Entry(key, stem.substring(0, dash), stem.substring(dash + 1), encrypted));
  }

  /**
   * The most of a segment the archive holds now: its full object, else its longest partial one, else empty. A
   * restore planned against a partial object fetches this instead, since a live archive replaces its partial
   * object every few seconds (and a longer one only adds WAL past the plan's end, which recovery stops before).
   */
  public Optional<Entry> freshest(String segmentName) {
    Entry best = null;
    for (Entry e : listFolder(folderOf(segmentName))) {
      if (e.name().equals(segmentName)) {
        return Optional.of(e);
      }
      if (segmentName.equals(e.partialOf()) && (best == null || e.partialBytes() > best.partialBytes())) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether a store wrote the object or found the same content already there. */
  public enum Stored { STORED, ALREADY_STORED }

  /**
   * Stores a full segment. The same content under its name again is harmless (a worker killed after the store,
   * before it told the server); different content under a name already stored is refused: it would mean two
   * clusters, or two timelines, writing into one archive.
   */
  public Stored storeSegment(String name, byte[] data, int length) {
    String sha = Sha256.hex(data, 0, length);
    for (Entry e : listFolder(folderOf(name))) {
      if (e.name().equals(name)) {
        if (e.sha256().equals(sha)) {
          return Stored.ALREADY_STORED;
        }
        throw new LifeboatException(ErrorCode.WAL_SEGMENT_CONFLICT, "WAL segment " + name + " of " + database
            + " is already archived with other content (" + e.key() + ", sha256 " + e.sha256() + "; received "
            + sha + ")", "two clusters may be archiving into wal/" + database + "/ of this repository; check the"
            + " database's url and its system identifier in wal/" + database + "/archive.json");
      }
    }
    seal(folderOf(name) + name + "-" + sha + extension(), data, length);
    return Stored.STORED;
  }

  /**
   * Stores the first {@code length} bytes of the segment being written, replacing the older partial objects of
   * this and earlier segments (a full segment, once stored, supersedes its partials).
   */
  public void storePartial(String segment, byte[] data, int length) {
    String sha = Sha256.hex(data, 0, length);
    String key = folderOf(segment) + segment + PARTIAL + String.format("%08X", length) + "-" + sha + extension();
    seal(key, data, length);
    removePartialsBefore(segment, key);
  }

  /** Removes partial objects of segments up to and including {@code segment}, except {@code keep}. */
  public void removePartialsBefore(String segment, String keep) {
    for (Entry e : listFolder(folderOf(segment))) {
      if (e.partialOf() != null && e.partialOf().compareTo(segment) <= 0 && !e.key().equals(keep)) {
        repo.remove(e.key());
      }
    }
  }

  /** Stores a timeline history file, once: its content never changes for a timeline. */
  public void storeHistory(String name, byte[] content) {
    String sha = Sha256.hex(content, 0, content.length);
    for (Entry e : listFolder(prefix(database) + "history/")) {
      if (e.name().equals(name) && e.sha256().equals(sha)) {
        return;
      }
    }
    seal(prefix(database) + "history/" + name + "-" + sha + extension(), content, content.length);
  }

  /**
   * The plain content of an entry, checked against the SHA-256 in its name: a corrupted or altered object is
   * CORRUPT_BACKUP, never handed to PostgreSQL.
   */
  public byte[] read(Config cfg, Entry entry) {
    try (InputStream stored = repo.read(entry.key());
         InputStream plain = Compression.decompress(entry.encrypted() ? Keys.decrypt(cfg, stored) : stored)) {
      byte[] content = plain.readAllBytes();
      String sha = Sha256.hex(content, 0, content.length);
      if (!sha.equals(entry.sha256())) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived WAL " + entry.key() + " does not match"
            + " its checksum (sha256 " + sha + ")", "the object was altered or damaged in the repository; a"
            + " recovery cannot pass it: restore to a moment before it, or from a base backup after it");
      }
      return content;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived WAL " + entry.key() + " is unreadable: "
          + e.getMessage(), "the object was altered or damaged in the repository");
    }
  }

  /**
   * Writes an entry's plain content to {@code file}, padded with zeros to {@code padTo} bytes (a partial segment
   * becomes a segment file PostgreSQL replays up to its end), checked against the SHA-256 in its name first: a
   * damaged object never reaches the file. Streams: nothing is held in memory.
   */
  public void readTo(Config cfg, Entry entry, java.nio.file.Path file, long padTo) {
    java.nio.file.Path part = file.resolveSibling(file.getFileName() + ".fetching");
    try {
      copyChecked(cfg, entry, part, padTo);
      java.nio.file.Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot write " + file + ": " + e.getMessage(), "retried");
    } finally {
      try {
        java.nio.file.Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // in the restore's own folder, removed with it
      }
    }
  }

  private void copyChecked(Config cfg, Entry entry, java.nio.file.Path part, long padTo) {
    try (InputStream stored = repo.read(entry.key());
         InputStream plain = Compression.decompress(entry.encrypted() ? Keys.decrypt(cfg, stored) : stored);
         java.io.OutputStream out = java.nio.file.Files.newOutputStream(part)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      long written = 0;
      for (int n; (n = plain.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
        written += n;
      }
      String actual = java.util.HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(entry.sha256())) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived WAL " + entry.key() + " does not match"
            + " its checksum (sha256 " + actual + ")", "the object was altered or damaged in the repository; a"
            + " recovery cannot pass it: restore to a moment before it, or from a base backup after it");
      }
      for (byte[] zeros = new byte[1 << 16]; written < padTo; ) {
        int n = (int) Math.min(zeros.length, padTo - written);
        out.write(zeros, 0, n);
        written += n;
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "archived WAL " + entry.key() + " is unreadable: "
          + e.getMessage(), "the object was altered or damaged in the repository");
    }
  }

  /** {@code wal/<db>/<first 16 hex digits>/}: pgBackRest's grouping, one folder per 4 GiB of a timeline. */
  String folderOf(String segmentName) {
    return prefix(database) + segmentName.substring(0, 16) + "/";
  }

  private String extension() {
    return recipients.isEmpty() ? ".zst" : ".zst.pgp";
  }

  private void seal(String key, byte[] data, int length) {
    try {
      SealedObjects.store(new ByteArrayInputStream(data, 0, length), () -> { }, repo, key, recipients, zstdLevel,
          Progress.none());
    } catch (IOException e) {
      if (OutOfSpace.in(e)) {
        throw OutOfSpace.failure("archiving WAL to " + key, repo.locate(key), e);
      }
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "archiving WAL to " + repo.locate(key) + " failed: "
          + e.getMessage(), "retried; the server keeps the WAL until it is stored");
    }
  }
}
