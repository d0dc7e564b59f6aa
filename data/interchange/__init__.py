"""The rules of the interchange contract (docs/interchange.md), shared by every face.

A row is valid, and becomes the same canonical and fact columns, whether it came in a file
(etl), a form, the API or the simulator (data.ops.commands): parse, validate, the kinds'
transforms and the reject reasons live here once.
"""
