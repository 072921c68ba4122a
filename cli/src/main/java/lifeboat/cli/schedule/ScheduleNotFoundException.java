package lifeboat.cli.schedule;

/** A schedule named on the command line that the server does not have. */
final class ScheduleNotFoundException extends RuntimeException {
  ScheduleNotFoundException(String id) {
    super("SCHEDULE_NOT_FOUND: no schedule " + id + " HINT: `lifeboat schedule list` shows them;"
        + " `lifeboat schedule apply runbooks/` creates them");
  }
}
