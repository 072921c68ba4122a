package lifeboat.cli.drill;

import picocli.CommandLine.Command;

@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Prove backups restore: run a restore drill, list past drills.",
    subcommands = {DrillRunCommand.class, DrillHistoryCommand.class})
public final class DrillCommand {}
