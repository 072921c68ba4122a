package lifeboat.activities.repository;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/**
 * The SDK clients of an S3 repository: a synchronous one for list, head, get, delete and multipart
 * housekeeping, and the Java-based asynchronous one with multipart upload for writes of unknown length (no CRT
 * native library). Activities open their repository on every call, so clients are shared per endpoint and
 * credentials instead of being built (and leaking a connection pool) each time.
 */
public record S3Clients(S3Client sync, S3AsyncClient async) implements AutoCloseable {
  private static final Map<S3Settings.ClientKey, S3Clients> SHARED = new ConcurrentHashMap<>();

  /** The process-wide clients for these settings. Never closed: they live as long as the worker. */
  public static S3Clients shared(S3Settings settings) {
    return SHARED.computeIfAbsent(settings.clientKey(), key -> create(settings, List.of()));
  }

  /** New clients, with interceptors (tests watch requests with them); the caller closes them. */
  public static S3Clients create(S3Settings settings, List<ExecutionInterceptor> interceptors) {
    Region region = region(settings);
    AwsCredentialsProvider credentials = settings.accessKeyId() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
        .executionInterceptors(List.copyOf(interceptors)).build();
    boolean aws = settings.endpoint() == null;

    var sync = S3Client.builder().region(region).credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle()).overrideConfiguration(overrides).crossRegionAccessEnabled(aws);
    long part = settings.partSizeBytes();
    var async = S3AsyncClient.builder().region(region).credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle()).overrideConfiguration(overrides).crossRegionAccessEnabled(aws)
        .multipartEnabled(true)
        // Memory per upload stays within four parts whatever the object's size: the writer blocks until the
        // buffer drains (with two parts of buffer, the SDK's unknown-length upload stalls: it holds the first
        // part back until it knows a second one follows). Anything larger than one part is multipart.
        .multipartConfiguration(MultipartConfiguration.builder()
            .minimumPartSizeInBytes(part).thresholdInBytes(part).apiCallBufferSizeInBytes(4 * part).build());
    if (!aws) {
      sync.endpointOverride(settings.endpoint());
      async.endpointOverride(settings.endpoint());
    }
    return new S3Clients(sync.build(), async.build());
  }

  private static Region region(S3Settings settings) {
    if (settings.region() != null) {
      return Region.of(settings.region());
    }
    if (settings.endpoint() == null) {
      try {
        return new DefaultAwsRegionProviderChain().getRegion();
      } catch (RuntimeException none) {
        // no AWS_REGION nor profile: us-east-1 with cross-region access finds the bucket wherever it is
      }
    }
    return Region.US_EAST_1;
  }

  @Override
  public void close() {
    sync.close();
    async.close();
  }
}
