"""Qt item models over core data (DataFrames), formatted for display."""
