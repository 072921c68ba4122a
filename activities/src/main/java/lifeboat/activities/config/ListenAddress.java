package lifeboat.activities.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A {@code host:port} to listen on ({@code wal.listen}): {@code 127.0.0.1:7391}, {@code 0.0.0.0:7391},
 * {@code [::1]:7391}. Parsed as a URI authority, so IPv6 literals in brackets work and nothing else slips in.
 */
public record ListenAddress(String host, int port) {

  /** The address {@code text} names; IllegalArgumentException when it is no {@code host:port}. */
  public static ListenAddress parse(String text) {
    try {
      URI uri = new URI("http://" + text);
      if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || !text.equals(uri.getRawAuthority())
          || uri.getUserInfo() != null) {
        throw new IllegalArgumentException("not host:port: " + text);
      }
      return new ListenAddress(uri.getHost(), uri.getPort());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not host:port: " + text, e);
    }
  }

  static boolean valid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether it listens on every interface (then a client must be told the worker's own name). */
  public boolean wildcard() {
    return host.equals("0.0.0.0") || host.equals("[::]");
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
  }
}
