package lifeboat.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * What `-V/--version` prints, on every command: the version Maven stamped into the jar's manifest
 * (Implementation-Version), so it cannot drift from the pom; run from classes (tests, an IDE) there is none.
 */
public final class LifeboatVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"lifeboat " + (version == null ? "(development build, no jar manifest)" : version)};
  }
}
