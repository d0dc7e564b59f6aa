"""Citizen services shared by the public portal and the health-book API: sign-in by one-time
code, the citizen's own records (profile, doses, registrations) and their FHIR export."""
