package lifeboat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `lifeboat help [VERB [SUB-VERB]...]`. Picocli's own help command takes one word only, so `help backup run`
 * showed backup's page; this one follows the words down the tree, as `backup run --help` does.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
    description = "Show the page of lifeboat or of a command, such as `lifeboat help backup run`.")
public final class HelpCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its sub-commands: backup run.")
  List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine command = spec.parent().commandLine();
    for (String word : words) {
      command = command.getSubcommands().get(word);
      if (command == null) {
        throw new IllegalArgumentException("no command `lifeboat " + String.join(" ", words)
            + "` HINT: `lifeboat help` lists the commands, `lifeboat help VERB` a verb's sub-commands");
      }
    }
    command.usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
