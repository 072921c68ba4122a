package lifeboat.cli.testing;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import lifeboat.cli.Temporal;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.TemporalCliServer;
import lifeboat.worker.WorkerHost;

/**
 * A Temporal server on a free port, the in-memory one or a real dev server, with (optionally) a worker in this
 * JVM. Close stops both.
 */
public final class LocalStack implements AutoCloseable {
  /** Which server: tests whose behaviour depends on it run against both. */
  public enum Server { IN_MEMORY, REAL }

  private final AutoCloseable server;
  private final String address;
  private final Temporal connection;
  private WorkerHost worker;

  private LocalStack(AutoCloseable server, String address) {
    this.server = server;
    this.address = address;
    this.connection = Temporal.local(address);
  }

  /** The in-memory server alone: workers run elsewhere. */
  public static LocalStack serverOnly() {
    return serverOnly(Server.IN_MEMORY);
  }

  /** A server of the given kind alone: workers run elsewhere. */
  public static LocalStack serverOnly(Server kind) {
    if (kind == Server.REAL) {
      TemporalCliServer real = RealTemporal.start();
      return new LocalStack(real, real.address());
    }
    EmbeddedTemporal embedded = EmbeddedTemporal.start(Ports.free());
    return new LocalStack(embedded, embedded.address());
  }

  /** The in-memory server and an in-process worker reading {@code config}. */
  public static LocalStack withWorker(Path config) {
    return withWorker(Server.IN_MEMORY, config);
  }

  /** A server of the given kind and an in-process worker reading {@code config}. */
  public static LocalStack withWorker(Server kind, Path config) {
    LocalStack stack = serverOnly(kind);
    try {
      stack.worker = WorkerHost.start(stack.connection.service(), "default", config);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  public String address() {
    return address;
  }

  public WorkflowClient client() {
    return connection.client();
  }

  public Temporal connection() {
    return connection;
  }

  @Override
  public void close() {
    try {
      if (worker != null) {
        worker.close();
      }
    } finally {
      try {
        connection.close();
      } finally {
        try {
          server.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot stop the test server", e);
        }
      }
    }
  }
}
