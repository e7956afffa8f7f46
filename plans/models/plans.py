"""Support plans (kế hoạch củng cố), their targets, tasks and progress reports."""
