"""Models of the tsm app."""
