package lifeboat.activities.pitr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.engine.ToolProcess;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.pipeline.Streams;
import lifeboat.activities.postgres.ServerPrograms;

/** GNU tar -x fed from a stream, as the server's OS user (a root worker's files must be the server's). */
final class Untar {
  private Untar() {}

  /** Unpacks the tar on {@code in} into {@code dir}; returns the bytes read. */
  static long into(InputStream in, Path dir, Progress progress) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (ServerPrograms.root()) {
      cmd.addAll(List.of("runuser", "-u", ServerPrograms.OS_USER, "--"));
    }
    cmd.addAll(List.of("tar", "-x", "-f", "-", "-C", dir.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try (ToolProcess tar = ToolProcess.start(pb, "install GNU tar")) {
      long bytes;
      try (OutputStream stdin = tar.stdin()) {
        bytes = Streams.copy(in, stdin, progress);
      } catch (IOException e) {
        int code = tar.waitFor();
        if (code != 0) {
          throw failed(tar, code, dir);
        }
        throw e;
      }
      int code = tar.waitFor();
      if (code != 0) {
        throw failed(tar, code, dir);
      }
      return bytes;
    }
  }

  private static LifeboatException failed(ToolProcess tar, int code, Path dir) {
    return new LifeboatException(ErrorCode.RESTORE_FAILED, "unpacking into " + dir + " failed: "
        + tar.failureSummary(code), "check the free space in " + dir.getParent()
        + (ServerPrograms.root() ? " and that the postgres OS user can write there" : ""));
  }
}
