package lifeboat.cli.keys;

import picocli.CommandLine.Command;

@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "OpenPGP keys for backup encryption, and the workflow-history key.",
    subcommands = {KeysGenerateCommand.class, KeysHistoryKeyCommand.class})
public final class KeysCommand {}
