package lifeboat.cli.runbook;

import picocli.CommandLine.Command;

@Command(name = "runbook", mixinStandardHelpOptions = true, description = "Work with runbooks/*.yaml.",
    subcommands = RunbookValidateCommand.class)
public final class RunbookCommand {}
