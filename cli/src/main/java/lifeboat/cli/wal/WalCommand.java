package lifeboat.cli.wal;

import picocli.CommandLine.Command;

@Command(name = "wal", mixinStandardHelpOptions = true,
    description = "Continuous WAL archiving of a PostgreSQL database, for point-in-time recovery (docs/pitr.md).",
    subcommands = {WalStartCommand.class, WalStopCommand.class, WalStatusCommand.class,
        WalArchiveCommandCommand.class})
public final class WalCommand {}
