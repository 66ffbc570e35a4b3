"""Benchmarks of the helpdesk (`make bench`): requests per operation, cold start, throughput,
local-stack latency and a cost model. Not part of `make test`; nothing here asserts on time."""
