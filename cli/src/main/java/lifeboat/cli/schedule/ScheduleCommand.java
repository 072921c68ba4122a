package lifeboat.cli.schedule;

import picocli.CommandLine.Command;

@Command(name = "schedule", mixinStandardHelpOptions = true, description = {
    "Apply, list, pause, resume and trigger the runbooks' schedules.",
    "One per scheduled runbook: a Temporal Schedule on a real server (Web UI, `temporal schedule list`), a"
        + " ScheduleWorkflow on the in-memory server, which has no Schedules API."},
    subcommands = {ScheduleApplyCommand.class, ScheduleListCommand.class, SchedulePauseCommand.class,
        ScheduleResumeCommand.class, ScheduleTriggerCommand.class})
public final class ScheduleCommand {}
