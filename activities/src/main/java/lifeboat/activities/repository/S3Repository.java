package lifeboat.activities.repository;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import lifeboat.activities.errors.LifeboatException;
import software.amazon.awssdk.core.async.BlockingOutputStreamAsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.utils.CancellableOutputStream;

/**
 * A repository in an S3 bucket (AWS, or any S3-compatible store through an endpoint override), every key under
 * the configured prefix. A write streams into a multipart upload of unknown length, with memory bounded by a
 * couple of parts; it becomes an object only when the upload completes on {@link PendingWrite#commit()}, so a
 * reader never sees half an object. A write closed without commit aborts its upload; one whose worker died is
 * aborted by the next write of the key, by {@link #remove}, or by {@link #removeAbandonedWrites}.
 */
public final class S3Repository implements Repository {
  /** How long commit waits for the last parts and the completion, and close for the abort. */
  private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(15);

  private final S3Settings settings;
  private final S3Clients clients;

  public S3Repository(S3Settings settings, S3Clients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  public S3Settings settings() {
    return settings;
  }

  /** The object key of a repository key; refuses keys that would leave the prefix. */
  String objectKey(String key) {
    if (key.startsWith("/") || key.contains("\\")) {
      throw RepositoryKeys.outside(key);
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw RepositoryKeys.outside(key);
      }
    }
    return settings.prefix() + key;
  }

  @Override
  public boolean exists(String key) {
    return head(key).isPresent();
  }

  private Optional<HeadObjectResponse> head(String key) {
    String objectKey = objectKey(key);
    try {
      return Optional.of(clients.sync().headObject(b -> b.bucket(settings.bucket()).key(objectKey)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isMissingBucket(e)) {
        return Optional.empty(); // HEAD has no body: a 404 carries no error code
      }
      throw failure("head " + key, e);
    } catch (SdkException e) {
      throw failure("head " + key, e);
    }
  }

  /** Every page of the listing: a bucket with more than 1000 keys is never silently cut short. */
  @Override
  public List<String> list(String prefix) {
    String full = objectKey(prefix);
    try {
      List<String> keys = new ArrayList<>();
      for (S3Object object : clients.sync()
          .listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(full)).contents()) {
        if (!object.key().endsWith("/")) {
          keys.add(object.key().substring(settings.prefix().length()));
        }
      }
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw failure("list " + prefix, e);
    }
  }

  @Override
  public InputStream read(String key) {
    String objectKey = objectKey(key);
    try {
      return clients.sync().getObject(b -> b.bucket(settings.bucket()).key(objectKey));
    } catch (NoSuchKeyException e) {
      throw Repository.notFound(key, locate(""));
    } catch (SdkException e) {
      throw failure("read " + key, e);
    }
  }

  @Override
  public PendingWrite write(String key) {
    String objectKey = objectKey(key);
    abortUploads(objectKey, upload -> upload.key().equals(objectKey)); // an earlier attempt's, as on a filesystem
    BlockingOutputStreamAsyncRequestBody body = BlockingOutputStreamAsyncRequestBody.builder()
        .contentLength(null).subscribeTimeout(Duration.ofMinutes(2)).build();
    try {
      CompletableFuture<PutObjectResponse> done = clients.async().putObject(putRequest(objectKey), body);
      return new S3PendingWrite(key, objectKey, body.outputStream(), done);
    } catch (SdkException e) {
      throw failure("write " + key, e);
    }
  }

  private PutObjectRequest putRequest(String objectKey) {
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(objectKey);
    if (settings.sse() != null) {
      put.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      if (settings.kmsKeyId() != null) {
        put.ssekmsKeyId(settings.kmsKeyId());
      }
    }
    if (settings.lockMode() != null) {
      put.objectLockMode(ObjectLockMode.fromValue(settings.lockMode()))
          .objectLockRetainUntilDate(Instant.now().plus(settings.lockFor()));
    }
    return put.build();
  }

  @Override
  public void remove(String key) {
    String objectKey = objectKey(key);
    abortUploads(objectKey, upload -> upload.key().equals(objectKey));
    try {
      clients.sync().deleteObject(b -> b.bucket(settings.bucket()).key(objectKey));
    } catch (SdkException e) {
      throw failure("remove " + key, e);
    }
  }

  @Override
  public void removeAbandonedWrites(String prefix, Duration olderThan) {
    Instant cutoff = Instant.now().minus(olderThan);
    abortUploads(objectKey(prefix), upload -> upload.initiated() == null || upload.initiated().isBefore(cutoff));
  }

  /** Aborts the unfinished multipart uploads under an object key prefix that the filter picks. */
  private void abortUploads(String objectKeyPrefix, Predicate<MultipartUpload> which) {
    try {
      for (MultipartUpload upload : clients.sync()
          .listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()).prefix(objectKeyPrefix)).uploads()) {
        if (which.test(upload)) {
          try {
            clients.sync().abortMultipartUpload(AbortMultipartUploadRequest.builder()
                .bucket(settings.bucket()).key(upload.key()).uploadId(upload.uploadId()).build());
          } catch (NoSuchUploadException gone) {
            // finished or aborted meanwhile
          }
        }
      }
    } catch (SdkException e) {
      throw failure("clean unfinished uploads under " + objectKeyPrefix, e);
    }
  }

  @Override
  public String locate(String key) {
    return "s3://" + settings.bucket() + "/" + objectKey(key);
  }

  /** The retain-until date of the object's Object Lock retention (HEAD returns it to a caller allowed to see it). */
  @Override
  public Optional<Instant> lockedUntil(String key) {
    return head(key)
        .filter(h -> h.objectLockMode() != null && h.objectLockRetainUntilDate() != null)
        .map(HeadObjectResponse::objectLockRetainUntilDate);
  }

  private LifeboatException failure(String what, Throwable e) {
    return S3Failures.translate(settings, what, e);
  }

  private static boolean isMissingBucket(S3Exception e) {
    return S3Failures.isMissingBucket(e);
  }

  private final class S3PendingWrite extends PendingWrite {
    private final String key;
    private final String objectKey;
    private final CancellableOutputStream sdkOut;
    private final OutputStream out;
    private final CompletableFuture<PutObjectResponse> done;
    private boolean committed;
    private boolean closed;

    S3PendingWrite(String key, String objectKey, CancellableOutputStream sdkOut,
        CompletableFuture<PutObjectResponse> done) {
      this.key = key;
      this.objectKey = objectKey;
      this.sdkOut = sdkOut;
      // The SDK turns every write into a message: buffer small writes into larger ones.
      this.out = new BufferedOutputStream(sdkOut, 1 << 16);
      this.done = done;
      // A writer blocked on a full buffer must not wait forever for an upload that has failed.
      done.whenComplete((response, failure) -> {
        if (failure != null) {
          sdkOut.cancel();
        }
      });
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw uploadFailure(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw uploadFailure(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw uploadFailure(e);
      }
    }

    /** The upload's own failure (no bucket, access denied) says more than the stream's "cancelled". */
    private IOException uploadFailure(IOException e) {
      Throwable cause = failureOf(done);
      if (cause != null) {
        throw failure("write " + key, cause);
      }
      return e;
    }

    @Override
    public void commit() {
      try {
        closed = true;
        out.close(); // the end of the stream: the last part goes, then CompleteMultipartUpload
        done.get(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        committed = true;
      } catch (IOException e) {
        sdkOut.cancel();
        throw failure("write " + key, failureOf(done) != null ? failureOf(done) : e);
      } catch (ExecutionException e) {
        throw failure("write " + key, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sdkOut.cancel();
        throw failure("write " + key, new InterruptedIOException("interrupted"));
      } catch (TimeoutException e) {
        sdkOut.cancel();
        throw failure("write " + key, e);
      }
    }

    /**
     * Closing without commit cancels the stream: the SDK aborts the multipart upload (if one was started yet), and
     * so does this method, so no part of it is left behind and the key keeps what it held before.
     */
    @Override
    public void close() {
      if (committed) {
        return;
      }
      if (!closed) {
        closed = true;
        sdkOut.cancel();
      }
      try {
        done.get(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException expected) {
        // cancelled, as asked
      }
      abortUploads(objectKey, upload -> upload.key().equals(objectKey));
    }
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.getNow(null);
      return null;
    } catch (RuntimeException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }
}
