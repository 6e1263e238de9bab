"""Nothing waits unseen: a failed instance becomes a ЦГДС task and an alert in the failing transaction.

`hook.on_failed` is the runtime's failure hook (web/app.py registers it); `manual` completes the
`manual_handling` task (retry, or assign an organisation and deadlines by hand); `board` groups failed
instances for the admin page with bulk retry; `alerts` tells admins and the coordinator once per error
kind per hour through the outbox.
"""
