package lifeboat.cli.approval;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "approve", mixinStandardHelpOptions = true, description = {
    "Answer a workflow that waits for a person (see `lifeboat pending`).",
    "The answer and your name are recorded; a second answer gets the first one's outcome. Then waits for what the"
        + " answer led to and prints it: the result (for a pre-migration backup: restored from which backup, what"
        + " the failed migration left behind), or the next question.",
    "Exits 0 when the workflow finished, 1 when it failed, 2 when it refuses the answer, 3 when it waits for a"
        + " person again."})
public final class ApproveCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin AnswerArguments answer;

  @Option(names = "--choice", description = "One of the choices offered (default: the first), e.g. restore or abort.")
  String choice;

  @Override
  public Integer call() {
    return answer.send(spec, "approve", choice);
  }
}
