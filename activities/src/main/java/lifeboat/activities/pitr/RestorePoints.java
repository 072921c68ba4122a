package lifeboat.activities.pitr;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.wal.WalArchive;

/**
 * Named restore points: {@code pg_create_restore_point(name)} on the primary, recorded in the repository as
 * {@code wal/<db>/restore-points/<name>.json} with its LSN and time, so a restore to it is planned (which base
 * backup, which WAL) from the repository alone. A name is used once: recovery stops at the first point of a name.
 */
public final class RestorePoints {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RestorePoints() {}

  /** A restore point: its name, WAL position and the server's time at it. */
  public record Point(String name, String lsn, String time, String database) {}

  static String key(String database, String name) {
    return WalArchive.prefix(database) + "restore-points/" + name + ".json";
  }

  public static Point create(DbConnection primary, Repository repo, String database, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "restore point name '" + name + "' is not allowed",
          "letters, digits, _ . -, at most 63, starting with a letter or digit");
    }
    if (repo.exists(key(database, name))) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "restore point " + name + " of " + database
          + " already exists", "pick another name: a recovery stops at the first point of a name");
    }
    Point point;
    try (Connection c = Jdbc.open(primary);
         PreparedStatement st = c.prepareStatement("select pg_create_restore_point(?)::text,"
             + " clock_timestamp()::text")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        point = new Point(name, rs.getString(1), RecoveryTimes.iso(rs.getString(2)), database);
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.PERMISSION_DENIED, "cannot create restore point " + name + ": "
          + e.getMessage(), "pg_create_restore_point needs a superuser, or EXECUTE granted on it");
    }
    try (Repository.PendingWrite out = repo.write(key(database, name))) {
      out.write(JSON.writeValueAsBytes(point));
      out.commit();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "cannot record restore point " + name + ": "
          + e.getMessage(), "retried");
    }
    return point;
  }

  public static Point read(Repository repo, String database, String name) {
    String key = key(database, name);
    if (!repo.exists(key)) {
      throw new LifeboatException(ErrorCode.RECOVERY_TARGET_UNREACHABLE, "no restore point " + name + " of "
          + database, "`lifeboat restore-point " + database + " NAME` makes one; its record is " + key);
    }
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, Point.class);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, key + " is unreadable: " + e.getMessage(),
          "make another restore point");
    }
  }
}
