"""Layout fragments shared by the shell and the pages."""
