"""Hostile input for everything that reads data from outside: strategies and the long run.

`tests/core/test_hostile_input.py` runs a short version of every property in the suite;
`make fuzz` (python -m tests.fuzz.run) runs them for minutes.
"""
