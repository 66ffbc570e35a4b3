"""One botocore loader for the whole test process, so each AWS service model is read from disk once.

Every client a test makes comes from a new botocore session: the functions' clients after each
`caches.reset()`, pynamodb's on every thread, moto's and the fixtures' own. A new session reads
its service's model and endpoint rules again (0.1-0.2 s of CPU per client, the largest part of an
integration test's setup). The loader only reads files of botocore's (and boto3's) data folders,
the same for every session of the process, so sharing it changes no client.
"""

from __future__ import annotations

import functools

import botocore.loaders
import botocore.session


class _SearchPaths(list):
    """boto3 appends its data folder to the loader of every session it wraps: once is enough."""

    def append(self, path) -> None:
        if path not in self:
            super().append(path)


@functools.cache
def _shared_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
    loader = botocore.loaders.create_loader(search_path_string)
    loader._search_paths = _SearchPaths(loader.search_paths)
    return loader


def share() -> None:
    """Every botocore session of this process made from now on uses the shared loader."""
    botocore.session.create_loader = _shared_loader
