"""The command center's callbacks: progress, allocation and stock, AEFI, facilities, reports,
the wall mode, and the figure builders they use."""
