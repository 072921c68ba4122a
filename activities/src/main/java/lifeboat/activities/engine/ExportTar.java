package lifeboat.activities.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * DuckDB's export folder (schema.sql, load.sql, one Parquet file per table) as one POSIX tar stream under a
 * single top folder, and back. `tar x` opens it: the stored object stays readable with standard tools.
 */
final class ExportTar {
  /** The folder every entry sits in: `tar x` makes one folder, never a mess of files in the current one. */
  static final String TOP = "export";

  private ExportTar() {}

  /** Writes every regular file of {@code folder} (flat, as EXPORT DATABASE writes it), sorted by name. */
  static void write(Path folder, OutputStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.list(folder)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Path file : files) {
      TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), TOP + "/" + file.getFileName());
      tar.putArchiveEntry(entry);
      Files.copy(file, tar);
      tar.closeArchiveEntry();
    }
    tar.finish(); // the end-of-archive blocks; the caller closes the stream under it
    tar.flush();
  }

  /**
   * Unpacks the stream's files into {@code into}/export and returns that folder. Only plain names inside the
   * top folder are accepted: an entry reaching outside it (../, an absolute path, a link) is refused, so a
   * crafted object cannot write anywhere else on the worker.
   */
  static Path extract(InputStream in, Path into) throws IOException {
    Path top = into.resolve(TOP);
    Files.createDirectories(top);
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    int files = 0;
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      if (entry.isDirectory() && entry.getName().equals(TOP + "/")) {
        continue;
      }
      String name = entry.getName();
      String file = name.startsWith(TOP + "/") ? name.substring(TOP.length() + 1) : null;
      if (!entry.isFile() || file == null || file.isEmpty() || file.contains("/") || file.equals("..")) {
        throw new IOException("unexpected entry in the export: " + name);
      }
      Files.copy(tar, top.resolve(file));
      files++;
    }
    if (files == 0) {
      throw new IOException("the export holds no files");
    }
    return top;
  }
}
