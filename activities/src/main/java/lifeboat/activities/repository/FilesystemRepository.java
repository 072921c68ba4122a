package lifeboat.activities.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * A repository in a local folder. A write goes to {@code KEY.partial-RANDOM} and is renamed onto the key on
 * commit (after fsync), so a reader never sees half an object and a crash leaves only a partial file, which
 * the next write of the same key, or {@link #remove} of its backup, clears away.
 */
public final class FilesystemRepository implements Repository {
  static final String PARTIAL = ".partial-";
  private final Path root;

  public FilesystemRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path path(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw RepositoryKeys.outside(key);
    }
    return p;
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public List<String> list(String prefix) {
    Path start = path(prefix);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(start)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().contains(PARTIAL))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw storageFailure("list " + prefix, e);
    }
  }

  @Override
  public void removeAbandonedWrites(String prefix, java.time.Duration olderThan) {
    Path start = path(prefix);
    if (!Files.isDirectory(start)) {
      return;
    }
    java.time.Instant cutoff = java.time.Instant.now().minus(olderThan);
    try (Stream<Path> files = Files.walk(start)) {
      for (Path p : files.filter(f -> f.getFileName().toString().contains(PARTIAL)).toList()) {
        if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(p);
          pruneEmptyParents(p.getParent());
        }
      }
    } catch (IOException e) {
      throw storageFailure("clean " + prefix, e);
    }
  }

  @Override
  public InputStream read(String key) {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw Repository.notFound(key, root.toString());
    } catch (IOException e) {
      throw storageFailure("read " + key, e);
    }
  }

  @Override
  public PendingWrite write(String key) {
    Path target = path(key);
    try {
      Files.createDirectories(target.getParent());
      removePartials(target);
      Path partial = target.resolveSibling(target.getFileName() + PARTIAL + UUID.randomUUID());
      return new FilePendingWrite(target, partial);
    } catch (IOException e) {
      throw storageFailure("write " + key, e);
    }
  }

  @Override
  public void remove(String key) {
    Path target = path(key);
    try {
      removePartials(target);
      Files.deleteIfExists(target);
      pruneEmptyParents(target.getParent());
    } catch (IOException e) {
      throw storageFailure("remove " + key, e);
    }
  }

  @Override
  public String locate(String key) {
    return path(key).toString();
  }

  private static void removePartials(Path target) throws IOException {
    if (!Files.isDirectory(target.getParent())) {
      return;
    }
    try (DirectoryStream<Path> leftovers =
             Files.newDirectoryStream(target.getParent(), target.getFileName() + PARTIAL + "*")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private void pruneEmptyParents(Path dir) throws IOException {
    while (dir != null && dir.startsWith(root) && !dir.equals(root) && Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.deleteIfExists(dir);
      dir = dir.getParent();
    }
  }

  private LifeboatException storageFailure(String what, IOException e) {
    return storageFailure(what, root, e);
  }

  private static LifeboatException storageFailure(String what, Path where, IOException e) {
    if (OutOfSpace.in(e)) {
      return OutOfSpace.failure("repository " + what, where.toString(), e);
    }
    return new LifeboatException(ErrorCode.STORAGE_FAILED, "repository " + what + " failed: " + e,
        "check the repository folder's permissions and free space", e);
  }

  private static final class FilePendingWrite extends PendingWrite {
    private final Path target;
    private final Path partial;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean committed;
    private boolean closed;

    FilePendingWrite(Path target, Path partial) throws IOException {
      this.target = target;
      this.partial = partial;
      this.channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void commit() {
      try {
        out.flush();
        channel.force(true);
        out.close();
        closed = true;
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
      } catch (IOException e) {
        throw storageFailure("commit " + target.getFileName(), target.getParent(), e);
      }
    }

    /** Closing without commit discards the partial file: the key keeps whatever it held before. */
    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        try {
          out.close();
        } catch (IOException ignored) {
          // the partial file is deleted below; a failing close (full disk) changes nothing
        }
      }
      if (!committed) {
        Files.deleteIfExists(partial);
      }
    }
  }

}
