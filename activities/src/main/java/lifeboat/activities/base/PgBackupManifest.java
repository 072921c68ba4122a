package lifeboat.activities.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * PostgreSQL's backup_manifest (version 1, written by pg_basebackup since 13): each file's size and checksum,
 * and the WAL range the backup needs. What pg_verifybackup checks a backup against, checked here against the
 * tar stream as it goes by ({@link TarObserver}).
 */
record PgBackupManifest(Map<String, Entry> files, List<WalRange> walRanges) {
  record Entry(long size, String algorithm, String checksum) {}

  record WalRange(int timeline, String startLsn, String endLsn) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static PgBackupManifest parse(byte[] content) {
    try {
      JsonNode root = JSON.readTree(content);
      Map<String, Entry> files = new LinkedHashMap<>();
      for (JsonNode f : root.path("Files")) {
        files.put(f.path("Path").asText(), new Entry(f.path("Size").asLong(), f.path("Checksum-Algorithm").asText(""),
            f.path("Checksum").asText("")));
      }
      List<WalRange> ranges = new ArrayList<>();
      for (JsonNode r : root.path("WAL-Ranges")) {
        ranges.add(new WalRange(r.path("Timeline").asInt(), r.path("Start-LSN").asText(), r.path("End-LSN").asText()));
      }
      if (files.isEmpty() || ranges.isEmpty()) {
        throw new IOException("no Files or no WAL-Ranges");
      }
      return new PgBackupManifest(files, ranges);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "the base backup's backup_manifest is unreadable: "
          + e.getMessage(), "take the base backup again");
    }
  }

  /**
   * Checks what went by against the manifest: every file it lists, with its size and CRC32C. Returns what was
   * checked, in words; a missing, resized or changed file is CORRUPT_BACKUP naming it.
   */
  String check(Map<String, TarObserver.Seen> seen, String what) {
    int checked = 0;
    for (Map.Entry<String, Entry> e : files.entrySet()) {
      TarObserver.Seen s = seen.get(e.getKey());
      Entry m = e.getValue();
      String problem = s == null ? "missing" : s.size() != m.size() ? "has " + s.size() + " bytes, the manifest says "
          + m.size() : m.algorithm().equals("CRC32C") && !s.crc32c().equals(m.checksum())
          ? "has CRC32C " + s.crc32c() + ", the manifest says " + m.checksum() : null;
      if (problem != null) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, what + ": " + e.getKey() + " " + problem
            + " (backup_manifest)", "the base backup is damaged; take it again");
      }
      checked++;
    }
    return checked + " files match PostgreSQL's backup_manifest (size and CRC32C)";
  }
}
