"""Read side of the operations face: plain data for the pages and the API, scoped by the
Principal in the data layer."""
