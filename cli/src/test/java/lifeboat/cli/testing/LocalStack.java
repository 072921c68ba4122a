package lifeboat.cli.testing;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import lifeboat.cli.Temporal;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;

/** An embedded Temporal server on a free port, with (optionally) a worker in this JVM. Close stops both. */
public final class LocalStack implements AutoCloseable {
  private final EmbeddedTemporal server;
  private final Temporal connection;
  private WorkerHost worker;

  private LocalStack(EmbeddedTemporal server) {
    this.server = server;
    this.connection = Temporal.local(server.address());
  }

  /** The server alone: workers run elsewhere. */
  public static LocalStack serverOnly() {
    return new LocalStack(EmbeddedTemporal.start(Ports.free()));
  }

  /** Server and an in-process worker reading {@code config}. */
  public static LocalStack withWorker(Path config) {
    LocalStack stack = serverOnly();
    try {
      stack.worker = WorkerHost.start(stack.connection.service(), "default", config);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  public String address() {
    return server.address();
  }

  public WorkflowClient client() {
    return connection.client();
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
        server.close();
      }
    }
  }
}
