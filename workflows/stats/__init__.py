"""The city's picture: appeal figures by organisation, category and district, the board, ratings, exports."""
