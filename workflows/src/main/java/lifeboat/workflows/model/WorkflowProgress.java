package lifeboat.workflows.model;

import java.util.List;

/** Answer of every Lifeboat workflow's {@code progress} query. */
public record WorkflowProgress(String state, String currentStep, List<StepRecord> steps, String error) {}
