"""Layer 5, team (beside dispatch): the store, connections, the audit trail, OAuth, shared counters."""
