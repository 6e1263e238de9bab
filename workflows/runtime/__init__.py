"""The durable process runtime: versions, instances, user tasks, timers, messages, event log."""
