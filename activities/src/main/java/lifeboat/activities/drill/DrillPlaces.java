package lifeboat.activities.drill;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * Names and places of throwaway targets, and the guard every destructive step passes first: a drill only ever
 * removes a database called {@code lifeboat_drill_*}, or a directory or file of that name directly inside this
 * worker's drill folder ({@code <java.io.tmpdir>/lifeboat-drill}). A target record comes from workflow history,
 * which is input like any other: a wrong or tampered one must not drop someone's database.
 */
final class DrillPlaces {
  static final String PREFIX = "lifeboat_drill_";
  /** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
  static final int MAX_NAME = 63;
  private static final Pattern NAME = Pattern.compile("^" + PREFIX + "[a-z0-9_]+$");

  private final Path folder;

  DrillPlaces(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  /**
   * The worker's drill folder. Short on purpose: with the default /tmp a data directory's path stays far below
   * the 107 bytes of a Unix socket path, should anyone start the cluster with its socket there.
   */
  static DrillPlaces standard() {
    return new DrillPlaces(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-drill"));
  }

  Path folder() {
    return folder;
  }

  /** lifeboat_drill_ + the drill id lower-cased, everything but [a-z0-9_] as '_', cut to 63 characters. */
  static String name(String drillId) {
    if (drillId == null || drillId.isBlank()) {
      throw new LifeboatException(ErrorCode.DRILL_TARGET_INVALID, "a throwaway target needs a drill id",
          "the drill workflow passes its drill id; this is a bug in the caller");
    }
    String id = drillId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String name = PREFIX + id;
    return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
  }

  /** Where a target of that name and kind lives on this worker: a cluster's data directory, or a SQLite file. */
  Path place(String name, String kind) {
    return folder.resolve(ThrowawayTarget.FILE.equals(kind) ? name + ".db" : name);
  }

  static boolean isDrillName(String name) {
    return name != null && name.length() <= MAX_NAME && NAME.matcher(name).matches();
  }

  /** Refuses a target whose name or place a drill would not have chosen. */
  void requireDrillMade(ThrowawayTarget t) {
    if (!isDrillName(t.name())) {
      throw refuse("name " + t.name() + " is not a drill name (" + PREFIX + "...)");
    }
    if (ThrowawayTarget.SERVER.equals(t.kind())) {
      return;
    }
    if (t.dir() == null) {
      throw refuse("a " + t.kind() + " target without a path");
    }
    Path dir = Path.of(t.dir()).toAbsolutePath().normalize();
    if (!dir.equals(place(t.name(), t.kind()))) {
      throw refuse(dir + " is not the " + t.kind() + " of " + t.name() + " inside " + folder);
    }
  }

  private static LifeboatException refuse(String why) {
    return new LifeboatException(ErrorCode.DRILL_TARGET_INVALID, "refusing to touch a throwaway target: " + why,
        "only targets planned by PlanThrowawayTarget on this worker are created or removed; if the worker's "
            + "java.io.tmpdir changed, remove the old drill folder by hand");
  }
}
