package lifeboat.cli.migrate;

import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Migrate a database behind a verified backup (pre-migration-backup runbooks).",
    subcommands = {MigrateRunCommand.class})
public final class MigrateCommand {}
