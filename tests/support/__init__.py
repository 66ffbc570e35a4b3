"""What only the test suites share: a scripted loopback HTTP server (fakehttp.py), stored tickets
(seeding.py), Portuguese text helpers (portuguese.py), threads (threads.py) and the transcriber's
consumer (transcriber.py). What the bench needs as well lives in local/testing/."""
