package lifeboat.cli.approval;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "reject", mixinStandardHelpOptions = true, description = {
    "Refuse what a waiting workflow asks; it takes its safe choice.",
    "The safe choice is abort, or no promotion. Then prints the workflow's result as `approve` does.",
    "Exits 0 when the workflow finished, 1 when it failed, 2 when it refuses, 3 when it waits again."})
public final class RejectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin AnswerArguments answer;

  @Override
  public Integer call() {
    return answer.send(spec, "reject", null);
  }
}
