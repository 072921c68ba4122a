package lifeboat.activities.repository;

import java.io.IOException;
import java.util.List;
import lifeboat.activities.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The repository contract on a bucket of a real S3-compatible server (s3proxy in a child process). */
@ExtendWith(S3ProxyServer.Extension.class)
class S3RepositoryTest extends RepositoryContractTest {
  static final String PREFIX = "team/lifeboat/";
  static S3ProxyServer server;
  static S3Clients clients;
  String bucket;

  @BeforeAll
  static void clients(S3ProxyServer s3) {
    server = s3;
    clients = S3Clients.create(s3.settings("any", PREFIX), List.of());
  }

  @AfterAll
  static void close() {
    if (clients != null) {
      clients.close();
    }
  }

  @Override
  Repository newRepository() {
    bucket = server.newBucket();
    return new S3Repository(server.settings(bucket, PREFIX), clients);
  }

  /** Relative to the prefix; an object outside it shows with its full key, and fails the comparison. */
  private static String relative(String objectKey) {
    return objectKey.startsWith(PREFIX) ? objectKey.substring(PREFIX.length()) : "OUTSIDE THE PREFIX: " + objectKey;
  }

  @Override
  List<String> storedObjects() {
    return server.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key).map(S3RepositoryTest::relative).sorted().toList();
  }

  @Override
  List<String> pendingWrites() {
    return server.client().listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().stream()
        .map(MultipartUpload::key).map(S3RepositoryTest::relative).sorted().toList();
  }

  @Override
  int bytesToLeaveATrace() {
    // The SDK holds the first part back until it knows more follows: the multipart upload starts with the
    // second full part.
    return 10 * 1024 * 1024;
  }

  @Override
  String expectedLocation(String key) {
    return "s3://" + bucket + "/" + PREFIX + key;
  }
}
