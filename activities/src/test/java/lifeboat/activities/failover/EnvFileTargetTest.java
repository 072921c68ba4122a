package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env-file target on real files: host and port change, the password in the URL and every other line stay. */
class EnvFileTargetTest {
  static final String BEFORE = "# app settings\nexport DATABASE_URL=\"postgresql://app:s3cret@10.0.0.1:5432/app"
      + "?sslmode=require\"\nREDIS_URL=redis://10.0.0.9:6379\n";
  @TempDir Path dir;

  @Test
  void rewritesHostAndPortOnceAndKeepsTheRest() throws Exception {
    Path env = dir.resolve("db.env");
    Files.writeString(env, BEFORE);
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));
    RepointSpec spec = RepointSpec.envFile(env.toString(), null);
    RepointResult r = new EnvFileTarget().repoint(spec, new Endpoints.HostPort("10.0.0.2", 6543));
    assertTrue(r.changed());
    assertEquals(BEFORE.replace("10.0.0.1:5432", "10.0.0.2:6543"), Files.readString(env));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
    assertFalse(r.previous().contains("s3cret") || r.current().contains("s3cret"), r.toString());
    assertEquals("postgresql://app:***@10.0.0.2:6543/app?sslmode=require", r.current());
    RepointResult again = new EnvFileTarget().repoint(spec, new Endpoints.HostPort("10.0.0.2", 6543));
    assertFalse(again.changed());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temp file left beside it");
    }
  }

  @Test
  void anIpv6PrimaryIsWrittenInBrackets() throws Exception {
    Path env = Files.writeString(dir.resolve("db.env"), BEFORE);
    RepointResult r = new EnvFileTarget().repoint(RepointSpec.envFile(env.toString(), null),
        Endpoints.hostPort("postgresql://app@[fd00::2]:5432/app"));
    assertEquals("postgresql://app:***@[fd00::2]:5432/app?sslmode=require", r.current());
    assertEquals(BEFORE.replace("10.0.0.1:5432", "[fd00::2]:5432"), Files.readString(env));
  }

  @Test
  void aFileWithoutTheVariableIsAConfigurationError() throws Exception {
    Path env = dir.resolve("db.env");
    Files.writeString(env, "PGURL=postgresql://a@b/c\n");
    LifeboatException e = assertThrows(LifeboatException.class, () -> new EnvFileTarget()
        .repoint(RepointSpec.envFile(env.toString(), "DATABASE_URL"), new Endpoints.HostPort("h", 1)));
    assertEquals(ErrorCode.FAILOVER_INVALID, e.code());
  }
}
