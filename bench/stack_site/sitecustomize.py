"""Loaded by the local stack the latency bench starts (PYTHONPATH): the same moto corrections as the
in-process figures (tests/faults/moto_transactions.py), so a turn's cost does not grow with every
stream record written before it."""

from tests.faults import moto_transactions

moto_transactions.install()
