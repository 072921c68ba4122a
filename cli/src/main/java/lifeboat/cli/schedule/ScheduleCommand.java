package lifeboat.cli.schedule;

import picocli.CommandLine.Command;

@Command(name = "schedule", description = {
    "Lifeboat's schedules: one ScheduleWorkflow per scheduled runbook (works on the embedded server too)."},
    subcommands = {ScheduleApplyCommand.class, ScheduleListCommand.class, SchedulePauseCommand.class,
        ScheduleResumeCommand.class, ScheduleTriggerCommand.class})
public final class ScheduleCommand {}
