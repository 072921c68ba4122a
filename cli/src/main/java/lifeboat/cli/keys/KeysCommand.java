package lifeboat.cli.keys;

import picocli.CommandLine.Command;

@Command(name = "keys", description = "OpenPGP keys for backup encryption.", subcommands = KeysGenerateCommand.class)
public final class KeysCommand {}
