package lifeboat.cli;

import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The network threads of this process's Temporal connections. gRPC's own shared event loop lingers for a second
 * after its last channel closes, and a JVM that exits while a thread sits in a native call (epoll_wait) waits
 * 300 ms for it: measured, a third of a second on every one-shot command (docs/benchmarks.md). With one group of
 * our own, {@link #stop()} ends those threads at once when the command is done.
 */
final class ClientEventLoop {
  private static NioEventLoopGroup group;

  private ClientEventLoop() {}

  /** For {@code setChannelInitializer}: the channel runs on this process's group. */
  static void use(ManagedChannelBuilder<?> builder) {
    if (builder instanceof NettyChannelBuilder netty) {
      netty.eventLoopGroup(group()).channelType(NioSocketChannel.class);
    }
  }

  private static synchronized NioEventLoopGroup group() {
    if (group == null) {
      group = new NioEventLoopGroup(1, new DefaultThreadFactory("lifeboat-grpc", true));
    }
    return group;
  }

  /** Ends the threads, without a quiet period: called once the command has its answer and closed its channels. */
  static synchronized void stop() {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
      group = null;
    }
  }
}
