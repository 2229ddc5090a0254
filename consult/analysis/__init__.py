"""Statistics and charts on plain columns; imports neither Flask nor the models."""
