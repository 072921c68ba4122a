package lifeboat.cli.retention;

import picocli.CommandLine.Command;

@Command(name = "retention", mixinStandardHelpOptions = true,
    description = "Prune backups by a grandfather-father-son policy.",
    subcommands = {RetentionRunCommand.class})
public final class RetentionCommand {}
