"""What every face's callbacks share: component ids, the language (catalogs, formatting), the
shell (data version, language switch), grids, plot text, and the security gate."""
