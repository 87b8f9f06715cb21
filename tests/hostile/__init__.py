"""Hostile cases: what an outsider, a hostile upstream or a hostile spec host does, each as a bounded test."""
