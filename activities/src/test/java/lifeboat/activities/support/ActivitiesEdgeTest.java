package lifeboat.activities.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.repository.FilesystemRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What leaves an activity: always a failure with a Lifeboat code and a HINT, never a bare Java exception. */
class ActivitiesEdgeTest {
  @TempDir Path dir;

  @Test
  void anUncheckedIoErrorIsIoFailedWithAHintAndRetried() {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> Activities.guard(() -> {
      throw new UncheckedIOException(new IOException("/var/lib/lifeboat/x.snapshot: No space left on device"));
    }));
    assertEquals("IO_FAILED", f.getType());
    assertTrue(f.getOriginalMessage().contains("No space left on device"), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("[IO_FAILED] HINT: "), f.getOriginalMessage());
    assertFalse(f.isNonRetryable());
  }

  @Test
  void anUnknownExceptionIsUnexpectedErrorNamingItsClassWithoutTheSecretsOfAUrl() {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> Activities.guard(() -> {
      throw new IllegalStateException("driver gave up on postgresql://app:s3cret-pw@db1:5432/app");
    }));
    assertEquals("UNEXPECTED_ERROR", f.getType());
    assertTrue(f.getOriginalMessage().startsWith("IllegalStateException: "), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("HINT: "), f.getOriginalMessage());
    assertFalse(f.getOriginalMessage().contains("s3cret-pw"), f.getOriginalMessage());
  }

  @Test
  void theWorkerLogGetsTheStackWithoutTheSecretsOfAUrl() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(log, true));
    try {
      assertThrows(ApplicationFailure.class, () -> Activities.guard(() -> {
        throw new IllegalStateException("outer", new RuntimeException("postgresql://app:s3cret-pw@db1/app"));
      }));
    } finally {
      System.setErr(err);
    }
    String logged = log.toString();
    assertTrue(logged.contains("ActivitiesEdgeTest"), "the stack trace is logged: " + logged);
    assertFalse(logged.contains("s3cret-pw"), logged);
  }

  @Test
  void temporalsOwnFailuresPassAsTheyAre() {
    ApplicationFailure own = ApplicationFailure.newNonRetryableFailure("as thrown", "SOMETHING");
    assertSame(own, assertThrows(ApplicationFailure.class, () -> Activities.guard(() -> {
      throw own;
    })));
  }

  @Test
  void aKeyOutsideTheRepositoryIsRefusedWithItsCodeAndNeverRetried() throws Exception {
    Files.writeString(dir.resolve("secret.txt"), "outside");
    FilesystemRepository repo = new FilesystemRepository(Files.createDirectories(dir.resolve("repo")));
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> Activities.guard(() -> repo.read("../secret.txt")));
    assertEquals("KEY_OUTSIDE_REPOSITORY", f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("HINT: "), f.getOriginalMessage());
  }
}
