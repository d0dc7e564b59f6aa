"""Operations callbacks: the facility desk (check-in first)."""
