package lifeboat.cli.backup;

import picocli.CommandLine.Command;

@Command(name = "backup", mixinStandardHelpOptions = true, description = "Run and list backups.",
    subcommands = {BackupRunCommand.class, BackupListCommand.class})
public final class BackupCommand {}
