package lifeboat.activities.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import lifeboat.activities.crypto.Encryptor;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.repository.Repository;

/**
 * How every object Lifeboat stores is written: bytes → zstd → OpenPGP to the recipients (none = unencrypted) →
 * one pending write, committed only once the source is fully read and {@code beforeCommit} has passed. Dumps,
 * WAL segments and base backups all go through here, so `gpg -d | zstd -d` opens every one of them.
 */
public final class SealedObjects {
  private SealedObjects() {}

  /** What was stored: bytes read from the source, bytes written to the repository and their SHA-256. */
  public record Sealed(long rawBytes, long storedBytes, String storedSha256) {}

  /** A step to run after the source ended and before the commit (a dump tool's exit status); may throw. */
  public interface BeforeCommit {
    void check() throws IOException;
  }

  public static Sealed store(InputStream source, BeforeCommit beforeCommit, Repository repo, String key,
      List<RecipientKey> recipients, int zstdLevel, Progress progress) throws IOException {
    try (Repository.PendingWrite out = repo.write(key)) {
      HashingOutputStream stored = new HashingOutputStream(out);
      OutputStream sealed = recipients.isEmpty() ? Streams.nonClosing(stored) : Encryptor.encrypt(stored, recipients);
      long rawBytes;
      try (OutputStream compressed = Compression.compress(sealed, zstdLevel)) {
        rawBytes = Streams.copy(source, compressed, progress);
      }
      beforeCommit.check();
      out.commit();
      return new Sealed(rawBytes, stored.count(), stored.sha256());
    }
  }
}
