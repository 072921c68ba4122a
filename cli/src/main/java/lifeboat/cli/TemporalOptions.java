package lifeboat.cli;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import com.uber.m3.tally.Scope;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import javax.net.ssl.SSLException;
import io.temporal.common.converter.DataConverter;
import lifeboat.worker.history.HistoryEncryption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the Temporal server is: every command that talks to Temporal mixes these options in. */
public final class TemporalOptions {
  @Option(names = "--address", defaultValue = "${env:LIFEBOAT_ADDRESS:-127.0.0.1:7233}",
      description = "Temporal frontend host:port (env LIFEBOAT_ADDRESS; default ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--namespace", defaultValue = "${env:LIFEBOAT_NAMESPACE:-default}",
      description = "Temporal namespace (env LIFEBOAT_NAMESPACE; default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--tls", description = "Connect with TLS (implied by --tls-cert or --tls-ca).")
  boolean tls;

  @Option(names = "--tls-cert", description = "Client certificate (PEM) for mutual TLS.")
  File tlsCert;

  @Option(names = "--tls-key", description = "Client private key (PKCS#8 PEM) for mutual TLS.")
  File tlsKey;

  @Option(names = "--tls-ca", description = "CA certificate (PEM) that signed the server's certificate.")
  File tlsCa;

  /** lifeboat.yaml, for its history key: every client must encrypt and decrypt as the workers do. */
  @Mixin ConfigOption config;

  public ConfigOption config() {
    return config;
  }

  /**
   * The data converter of the configuration's history key, or the SDK's default when it names none or when the
   * default ./lifeboat.yaml is not there (a machine that only runs commands).
   */
  public DataConverter dataConverter() {
    return HistoryEncryption.dataConverter(config.path(), config.named());
  }

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }

  public WorkflowServiceStubs connect() {
    return connect(null);
  }

  /** @param metricsScope  where the SDK reports its metrics (a hosted worker's), or null for none */
  public WorkflowServiceStubs connect(Scope metricsScope) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(TemporalAddress.require(address))
        .setChannelInitializer(ClientEventLoop::use);
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    if (tls || tlsCert != null || tlsCa != null) {
      options.setSslContext(sslContext());
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  private io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (tlsCa != null) {
        builder.trustManager(tlsCa);
      }
      if (tlsCert != null) {
        builder.keyManager(tlsCert, tlsKey);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS settings are unusable: " + e.getMessage());
    }
  }
}
