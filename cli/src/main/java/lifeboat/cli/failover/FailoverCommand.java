package lifeboat.cli.failover;

import picocli.CommandLine.Command;

@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Run a failover runbook; print its incident timeline.",
    subcommands = {FailoverStartCommand.class, FailoverTimelineCommand.class})
public final class FailoverCommand {}
