package lifeboat.cli.schedule;

import picocli.CommandLine.Command;

@Command(name = "schedule", description = {
    "Lifeboat's schedules, one per scheduled runbook: a Temporal Schedule on a real server (Web UI,",
    "`temporal schedule list`), a ScheduleWorkflow on the in-memory server, which has no Schedules API."},
    subcommands = {ScheduleApplyCommand.class, ScheduleListCommand.class, SchedulePauseCommand.class,
        ScheduleResumeCommand.class, ScheduleTriggerCommand.class})
public final class ScheduleCommand {}
