package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command of the tree, found by walking it rather than listed by hand, so that a verb added later is
 * covered without touching this test: `--help` and `-h` show its own page, and so does `help VERB SUB-VERB`.
 */
class HelpTest {
  /** Every command below the top one, depth first, as the words a user types: [backup], [backup, run], ... */
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), List.of(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    command.getSubcommands().forEach((name, sub) -> {
      List<String> subPath = Stream.concat(path.stream(), Stream.of(name)).toList();
      paths.add(subPath);
      collect(sub, subPath, paths);
    });
  }

  private static CliResult run(List<String> words, String... more) {
    return InProcessCli.run(Stream.concat(words.stream(), Stream.of(more)).toArray(String[]::new));
  }

  /** The page of exactly this command: picocli's synopsis starts with its full name. */
  private static void assertOwnPage(List<String> path, CliResult r) {
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    String usage = "Usage: lifeboat " + String.join(" ", path);
    String first = r.out().lines().findFirst().orElse("");
    assertTrue(first.equals(usage) || first.startsWith(usage + " "), "page of `" + usage + "`:\n" + r);
    assertEquals("", r.err(), r.toString());
  }

  @Test
  void everyCommandAndSubCommandTakesHelpAndShowsItsOwnPage() {
    List<List<String>> paths = commandPaths();
    assertTrue(paths.contains(List.of("backup", "run")), paths.toString());
    for (List<String> path : paths) {
      assertOwnPage(path, run(path, "--help"));
      assertOwnPage(path, run(path, "-h"));
    }
  }

  @Test
  void helpNamesACommandAtAnyDepth() {
    for (List<String> path : commandPaths()) {
      assertOwnPage(path, run(Stream.concat(Stream.of("help"), path.stream()).toList()));
    }
  }

  @Test
  void helpOfAnUnknownCommandIsOneLineAndExit2() {
    CliResult r = InProcessCli.run("help", "backup", "nosuch");
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().contains("no command `lifeboat backup nosuch`") && r.err().contains("HINT: "), r.toString());
  }

  @Test
  void versionIsThatOfLifeboatOnEveryCommand() {
    CliResult top = InProcessCli.run("--version");
    assertEquals(ExitCodes.OK, top.exit(), top.toString());
    assertTrue(top.out().startsWith("lifeboat "), top.toString());
    assertEquals(top.out(), InProcessCli.run("backup", "run", "-V").out());
  }

  /** What the parent's command list shows is the first line of the description: it must end its sentence. */
  @Test
  void everySummaryInACommandListIsACompleteShortSentence() {
    for (List<String> path : commandPaths()) {
      CommandLine command = Main.commandLine();
      for (String name : path) {
        command = command.getSubcommands().get(name);
      }
      String[] description = command.getCommandSpec().usageMessage().description();
      String summary = description.length == 0 ? "" : description[0];
      String where = "summary of `lifeboat " + String.join(" ", path) + "`: '" + summary + "'";
      assertTrue(summary.endsWith("."), where);
      assertTrue(summary.length() <= 100, where + " is longer than 100 characters");
    }
  }
}
