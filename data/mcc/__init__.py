"""Command-center (MCC) reads: named, cached, scoped figures for the command-center pages.

Modules: progress (coverage, targets, trends), stock (allocation, supply, expiry, stock-out
risk), aefi (rates, signals, lots, case list), facilities (throughput, silent sites) and
reports (the daily report and its exports). SQL lives only in data.mcc.queries.
"""
