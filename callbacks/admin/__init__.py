"""Administration callbacks: user accounts, the audit log, and the navbar's admin links."""
