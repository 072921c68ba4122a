package lifeboat.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks --address before gRPC sees it: gRPC takes any string, then fails on a resolver thread (a port out of
 * range is an uncaught exception there and a five-second deadline here; a host it cannot resolve is logged
 * with a stack of some sixty lines).
 */
final class TemporalAddress {
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):(\\d{1,5})");

  private TemporalAddress() {}

  /** {@code address}, or IllegalArgumentException (exit 2) saying what is wrong. A gRPC target URI passes as is. */
  static String require(String address) {
    if (address != null && address.contains(":///")) {
      return address; // dns:///host:port and friends: the user speaks gRPC
    }
    Matcher m = HOST_PORT.matcher(address == null ? "" : address.strip());
    int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--address '" + address + "' is not host:port"
          + (m.matches() ? " (the port must be 1 to 65535)" : "") + " [ADDRESS_INVALID] HINT: the Temporal frontend,"
          + " e.g. 127.0.0.1:7233 or temporal.example.com:7233 (env LIFEBOAT_ADDRESS)");
    }
    return address.strip();
  }
}
