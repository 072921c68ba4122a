package lifeboat.activities.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What only an S3 repository does, against a real S3-compatible server (s3proxy): streamed multipart uploads with
 * bounded memory, errors a person must fix, and the shape of server-side encryption and Object Lock requests.
 * s3proxy's filesystem backend has no Object Lock, so lock headers are checked as sent, not as enforced.
 */
@ExtendWith(S3ProxyServer.Extension.class)
@Timeout(300)
class S3RepositoryFeaturesTest {
  static final String KEY = "backups/app/20240101T000000Z-1/data.zst.pgp";
  static final long MB = 1024 * 1024;

  /** Records every request as it goes on the wire, and how many part bytes the server has acknowledged. */
  static final class Recorder implements ExecutionInterceptor {
    final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicLong partBytesStored = new AtomicLong();
    final Map<String, String> fakeHeadHeaders = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      requests.add(context.httpRequest());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof UploadPartRequest part && part.contentLength() != null) {
        partBytesStored.addAndGet(part.contentLength());
      }
    }

    /** Lets a test play a store with Object Lock: HEAD responses get these headers. */
    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
      if (context.request() instanceof HeadObjectRequest && !fakeHeadHeaders.isEmpty()) {
        SdkHttpResponse.Builder response = context.httpResponse().toBuilder();
        fakeHeadHeaders.forEach(response::putHeader);
        return response.build();
      }
      return context.httpResponse();
    }

    List<SdkHttpRequest> requests(String method, String query) {
      return requests.stream().filter(r -> r.method().name().equals(method))
          .filter(r -> query == null || r.rawQueryParameters().containsKey(query)).toList();
    }
  }



  @Test
  void largeStreamedWriteGoesMultipartWithBoundedBuffering(S3ProxyServer s3) throws Exception {
    long partSize = 8 * MB;
    S3Settings settings = S3Settings.simple(s3.newBucket(), "p", s3.endpoint(), S3ProxyServer.IDENTITY,
        S3ProxyServer.CREDENTIAL, partSize);
    Recorder recorder = new Recorder();
    try (S3Clients clients = S3Clients.create(settings, List.of(recorder))) {
      S3Repository repo = new S3Repository(settings, clients);
      long total = 40 * MB + 123;
      MessageDigest written = sha256();
      long maxAhead = 0;
      Random random = new Random(7);
      byte[] chunk = new byte[256 * 1024];
      try (Repository.PendingWrite out = repo.write(KEY)) {
        for (long sent = 0; sent < total; sent += chunk.length) {
          int n = (int) Math.min(chunk.length, total - sent);
          random.nextBytes(chunk);
          out.write(chunk, 0, n);
          written.update(chunk, 0, n);
          // how far the writer got ahead of what the server has stored: the bytes held in memory
          maxAhead = Math.max(maxAhead, sent + n - recorder.partBytesStored.get());
        }
        out.commit();
      }
      assertEquals(1, recorder.requests("POST", "uploads").size(), "one CreateMultipartUpload");
      assertEquals(6, recorder.requests("PUT", "partNumber").size(), "five 8 MiB parts and the rest");
      assertEquals(1, recorder.requests("POST", "uploadId").size(), "one CompleteMultipartUpload");
      // The writer blocks while the SDK holds four parts (plus one being read): never the whole 40 MB.
      assertTrue(maxAhead <= 5 * partSize + 2 * chunk.length, "bytes held ahead of the server: " + maxAhead);

      MessageDigest read = sha256();
      try (InputStream in = repo.read(KEY)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          read.update(buf, 0, n);
        }
      }
      assertArrayEquals(written.digest(), read.digest());
      assertEquals(List.of(), s3.client().listMultipartUploads(b -> b.bucket(settings.bucket())).uploads());
    }
  }

  @Test
  void listPaginatesPastAThousandKeys(S3ProxyServer s3) throws IOException {
    S3Settings settings = s3.settings(s3.newBucket(), "");
    Recorder recorder = new Recorder();
    try (S3Clients clients = S3Clients.create(settings, List.of(recorder))) {
      S3Repository repo = new S3Repository(settings, clients);
      for (int i = 0; i < 1005; i++) {
        String key = "backups/app/%04d".formatted(i);
        s3.client().putObject(b -> b.bucket(settings.bucket()).key(key),
            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
      }
      List<String> keys = repo.list("backups/app/");
      assertEquals(1005, keys.size());
      assertEquals("backups/app/1004", keys.get(1004));
      assertTrue(recorder.requests("GET", "list-type").size() >= 2, "more than one page was read");
    }
  }

  @Test
  void missingBucketIsANonRetryableErrorNamingTheBucket(S3ProxyServer s3) throws IOException {
    S3Settings settings = s3.settings("no-such-bucket-here", "x");
    try (S3Clients clients = S3Clients.create(settings, List.of())) {
      S3Repository repo = new S3Repository(settings, clients);
      for (var attempt : List.<org.junit.jupiter.api.function.Executable>of(
          () -> repo.list("backups/"),
          () -> repo.removeAbandonedWrites("backups/", Duration.ZERO),
          () -> repo.write(KEY))) {
        LifeboatException e = assertThrows(LifeboatException.class, attempt);
        assertEquals(ErrorCode.REPOSITORY_MISSING, e.code(), e.userMessage());
        assertTrue(e.code().userFixable());
        assertTrue(e.getMessage().contains("no-such-bucket-here"), e.getMessage());
        assertTrue(e.hint().contains("create the bucket"), e.hint());
      }
    }
  }

  @Test
  void wrongCredentialsAreAuthFailed(S3ProxyServer s3) {
    S3Settings settings = S3Settings.simple(s3.newBucket(), "", s3.endpoint(), S3ProxyServer.IDENTITY,
        "not-the-credential", 5 * MB);
    try (S3Clients clients = S3Clients.create(settings, List.of())) {
      LifeboatException e = assertThrows(LifeboatException.class,
          () -> new S3Repository(settings, clients).list(""));
      assertEquals(ErrorCode.AUTH_FAILED, e.code(), e.userMessage());
      assertFalse(e.userMessage().contains("not-the-credential"));
    }
  }

  /**
   * Writes of the given sizes, recording their upload requests (PutObject, CreateMultipartUpload) and refusing them
   * before they reach the server: only their shape is under test, and s3proxy refuses SSE headers.
   */
  static List<SdkHttpRequest> uploadRequests(S3ProxyServer s3, S3Settings settings, int... sizes) {
    Recorder recorder = new Recorder();
    ExecutionInterceptor refuse = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest || context.request() instanceof CreateMultipartUploadRequest) {
          throw new IllegalStateException("recorded, not sent");
        }
      }
    };
    try (S3Clients clients = S3Clients.create(settings, List.of(recorder, refuse))) {
      S3Repository repo = new S3Repository(settings, clients);
      for (int size : sizes) {
        assertThrows(LifeboatException.class, () -> {
          try (Repository.PendingWrite out = repo.write(KEY)) {
            out.write(new byte[size]);
            out.commit();
          }
        });
      }
    }
    return recorder.requests.stream()
        .filter(r -> r.method().name().equals("PUT") && !r.rawQueryParameters().containsKey("partNumber")
            || r.method().name().equals("POST") && r.rawQueryParameters().containsKey("uploads"))
        .filter(r -> r.encodedPath().endsWith(KEY)).toList();
  }

  /** The headers as they leave the client: s3proxy stores neither SSE nor locks, AWS S3 acts on them. */
  @Test
  void encryptionAndObjectLockHeadersAreSentOnEveryKindOfUpload(S3ProxyServer s3) {
    S3Settings settings = s3.settings(s3.newBucket(), "")
        .withEncryption("aws:kms", "arn:aws:kms:eu-west-1:111122223333:key/abc")
        .withObjectLock("COMPLIANCE", Duration.ofDays(30));
    Instant before = Instant.now();
    // 10 bytes go as one PutObject; a part and more as CreateMultipartUpload (and parts)
    List<SdkHttpRequest> uploads = uploadRequests(s3, settings, 10, (int) (11 * MB));
    Instant after = Instant.now();
    assertEquals(List.of("PUT", "POST"), uploads.stream().map(r -> r.method().name()).toList());
    for (SdkHttpRequest r : uploads) {
      assertEquals("aws:kms", r.firstMatchingHeader("x-amz-server-side-encryption").orElse(null));
      assertEquals("arn:aws:kms:eu-west-1:111122223333:key/abc",
          r.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id").orElse(null));
      assertEquals("COMPLIANCE", r.firstMatchingHeader("x-amz-object-lock-mode").orElse(null));
      Instant until = Instant.parse(r.firstMatchingHeader("x-amz-object-lock-retain-until-date").orElseThrow());
      assertFalse(until.isBefore(before.plus(Duration.ofDays(30)).minusSeconds(1)), until.toString());
      assertFalse(until.isAfter(after.plus(Duration.ofDays(30)).plusSeconds(1)), until.toString());
    }
  }

  @Test
  void sseS3SendsAes256AndNoLockUnlessConfigured(S3ProxyServer s3) {
    List<SdkHttpRequest> uploads = uploadRequests(s3, s3.settings(s3.newBucket(), "").withEncryption("AES256", null),
        10);
    assertEquals(1, uploads.size());
    assertEquals("AES256", uploads.get(0).firstMatchingHeader("x-amz-server-side-encryption").orElse(null));
    assertNull(uploads.get(0).firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id").orElse(null));
    assertNull(uploads.get(0).firstMatchingHeader("x-amz-object-lock-mode").orElse(null));
  }

  @Test
  void lockInfoComesFromTheObjectsRetention(S3ProxyServer s3) throws IOException {
    S3Settings settings = s3.settings(s3.newBucket(), "");
    Recorder recorder = new Recorder();
    try (S3Clients clients = S3Clients.create(settings, List.of(recorder))) {
      S3Repository repo = new S3Repository(settings, clients);
      put(repo, 1);
      assertFalse(repo.isLocked(KEY), "s3proxy keeps no retention");
      // What a bucket with Object Lock answers to HEAD, played by the interceptor.
      Instant future = Instant.parse("2999-01-01T00:00:00Z");
      recorder.fakeHeadHeaders.put("x-amz-object-lock-mode", "GOVERNANCE");
      recorder.fakeHeadHeaders.put("x-amz-object-lock-retain-until-date", future.toString());
      assertEquals(future, repo.lockedUntil(KEY).orElseThrow());
      assertTrue(repo.isLocked(KEY));
      recorder.fakeHeadHeaders.put("x-amz-object-lock-retain-until-date", "2001-01-01T00:00:00Z");
      assertFalse(repo.isLocked(KEY), "a retention date in the past no longer protects it");
      assertFalse(repo.isLocked("backups/app/none/manifest.json"), "an absent object is not locked");
    }
  }

  @Test
  void pathStyleAndEndpointOverrideAddressTheBucketInThePath(S3ProxyServer s3) throws IOException {
    S3Settings settings = s3.settings(s3.newBucket(), "/nested/prefix/");
    Recorder recorder = new Recorder();
    try (S3Clients clients = S3Clients.create(settings, List.of(recorder))) {
      S3Repository repo = new S3Repository(settings, clients);
      put(repo, 3);
      assertEquals("s3://" + settings.bucket() + "/nested/prefix/" + KEY, repo.locate(KEY));
      SdkHttpRequest put = recorder.requests("PUT", null).get(recorder.requests("PUT", null).size() - 1);
      assertEquals("127.0.0.1", put.host());
      assertEquals(s3.endpoint().getPort(), put.port());
      assertEquals("/" + settings.bucket() + "/nested/prefix/" + KEY, put.encodedPath());
      assertTrue(s3.client().headObject(b -> b.bucket(settings.bucket()).key("nested/prefix/" + KEY))
          .contentLength() == 3);
    }
  }

  private static void put(Repository repo, int size) throws IOException {
    try (Repository.PendingWrite out = repo.write(KEY)) {
      out.write(new byte[size]);
      out.commit();
    }
  }

  private static MessageDigest sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256");
  }
}
