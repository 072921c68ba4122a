package lifeboat.activities.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import lifeboat.activities.repository.S3Clients;
import lifeboat.activities.repository.S3Settings;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: s3proxy 4.1.0 (the {@code jar-with-dependencies} Maven copies to
 * target/s3proxy/) in a child JVM on a free 127.0.0.1 port, storing objects in a temp folder. One server serves
 * the whole test run: {@link Extension} starts it on first use and JUnit closes it when the run ends.
 *
 * <p>Its filesystem backend has no versioning and no Object Lock: lock requests can only be checked for their
 * shape (headers), not for their effect.
 *
 * <p>A test of its own ({@link #start()}, not the shared one) may {@link #kill()} it and {@link #restart()} it on
 * the same port and folder: its objects and unfinished multipart uploads are files there, so they survive.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "lifeboat-test";
  public static final String CREDENTIAL = "lifeboat-test-credential";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private Process process;
  private final Path dir;
  private final URI endpoint;
  private final S3Clients clients;

  private S3ProxyServer(Process process, Path dir, URI endpoint) {
    this.process = process;
    this.dir = dir;
    this.endpoint = endpoint;
    this.clients = S3Clients.create(settings("unused", ""), List.of());
  }

  /** Registers the shared server with a test class; a parameter of type S3ProxyServer receives it. */
  public static final class Extension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
      server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == S3ProxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return server(context);
    }

    private static S3ProxyServer server(ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(S3ProxyServer.class, k -> start(), S3ProxyServer.class);
    }
  }

  public static S3ProxyServer start() {
    jar(); // before any temp folder: a missing jar is the likelier failure
    try {
      Path dir = Files.createTempDirectory("lifeboat-s3proxy-");
      Path data = Files.createDirectories(dir.resolve("data"));
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path properties = dir.resolve("s3proxy.properties");
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + IDENTITY,
          "s3proxy.credential=" + CREDENTIAL,
          // the SDK's multipart uploads send x-amz-mp-object-size, which s3proxy otherwise answers with 501
          "s3proxy.ignore-unknown-headers=true",
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + data,
          ""));
      return new S3ProxyServer(launch(dir, endpoint), dir, endpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server JVM on the properties in {@code dir}, once it answers; its output is appended to the log. */
  private static Process launch(Path dir, URI endpoint) throws IOException {
    Path log = dir.resolve("s3proxy.log");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar().toString(), "--properties", dir.resolve("s3proxy.properties").toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    awaitReady(process, endpoint, log);
    return process;
  }

  /** SIGKILL, as a crashed storage server: no request in flight is answered, the port closes. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("s3proxy " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts it again after {@link #kill()}, on the same port and data folder; returns once it answers. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("s3proxy is still running: kill() it first");
    }
    try {
      process = launch(dir, endpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar() {
    String configured = System.getProperty("lifeboat.s3proxy.jar");
    for (Path candidate : Stream.of(configured, "target/s3proxy/s3proxy.jar", "activities/target/s3proxy/s3proxy.jar",
        "../activities/target/s3proxy/s3proxy.jar")
        .filter(p -> p != null).map(Path::of).toList()) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException("s3proxy jar not found (" + configured + "): run the tests through Maven, "
        + "whose generate-test-resources phase copies it to activities/target/s3proxy/");
  }

  /** Waits, without a tight deadline (the machine may be busy), until the server answers HTTP at all. */
  private static void awaitReady(Process process, URI endpoint, Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        c.getResponseCode(); // 403 for an anonymous request: it is up
        c.disconnect();
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("s3proxy did not start within 120 s:\n" + Files.readString(log));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Path-style settings for a bucket of this server, with its credentials and S3's minimum part size. */
  public S3Settings settings(String bucket, String prefix) {
    return S3Settings.simple(bucket, prefix, endpoint, IDENTITY, CREDENTIAL, 5L * 1024 * 1024);
  }

  /** A client for looking behind a repository's back (raw listings, multipart uploads). */
  public S3Client client() {
    return clients.sync();
  }

  /** A new, empty bucket with a unique name. */
  public String newBucket() {
    String bucket = "lifeboat-test-" + BUCKETS.incrementAndGet();
    client().createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  @Override
  public void close() {
    clients.close();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
