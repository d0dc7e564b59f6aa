"""Write side of the ETL: one loader per interchange kind, each one transaction."""
