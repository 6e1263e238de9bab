"""The weekly digest: the week's rating, overdue lists, outages and ledger totals, through the outbox."""
