package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `lifeboat demo` in-process: both sample databases round-trip, and no PostgreSQL is left running. */
class DemoCommandTest {
  private static final Pattern CLUSTER_PORT = Pattern.compile("PostgreSQL cluster on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void bothDatabasesRoundTripAndTheClusterIsStoppedAfterwards(@TempDir Path tmp) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("demo", "--dir", tmp.resolve("demo").toString());

    String output = out.toString();
    String context = "\n--- out ---\n" + output + "\n--- err ---\n" + err;
    assertEquals(0, code, context);
    assertTrue(output.contains("demo finished: every restore matched its source"), context);
    List<String> lines = output.lines().toList();
    assertTrue(roundTripSaysSame(lines, "== notes (sqlite)"), "sqlite round trip" + context);
    assertTrue(roundTripSaysSame(lines, "== app (postgres)"), "postgres round trip" + context);

    Matcher port = CLUSTER_PORT.matcher(output);
    assertTrue(port.find(), "the demo says which port its cluster used" + context);
    assertThrows(IOException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))), 1000);
      }
    }, "the demo's PostgreSQL cluster still accepts connections after the demo");
  }

  /** The "row counts" line of the section that starts with {@code header} ends in ": same". */
  private static boolean roundTripSaysSame(List<String> lines, String header) {
    int start = lines.indexOf(header);
    if (start < 0) {
      return false;
    }
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("row counts ")) {
        return line.endsWith(": same");
      }
    }
    return false;
  }
}
