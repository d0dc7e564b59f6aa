"""Operations reads (the planning page's lists), each scoped with the caller's Principal."""
