"""Operations pages: the facility desk (check-in first)."""
