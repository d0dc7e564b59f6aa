"""The public portal's reads and writes (no sign-in): public figures, self-registration,
certificate look-up, facility registration. Shared citizen services live in data.citizen."""
