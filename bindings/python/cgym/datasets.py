# SPDX-License-Identifier: MIT
"""Benchmarks and a minimal client-side dataset (a fixed set of benchmarks by URI)."""

from collections.abc import Iterable
from typing import Optional, Union


class Benchmark:
    """A benchmark: a URI and, optionally, the program's bytes."""

    def __init__(self, uri: str, program: Optional[bytes] = None):
        self.uri = canonical_uri(uri)
        self.program = program

    def __repr__(self):
        return self.uri

    def __str__(self):
        return self.uri

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(self.uri)


def canonical_uri(uri: str) -> str:
    uri = str(uri)
    return uri if "://" in uri else "benchmark://" + uri


class Dataset:
    """A named set of benchmarks, e.g. Dataset("benchmark://example-compiler-v0",
    {"foo": b"Ir data"}). Looking up another benchmark of the dataset raises
    LookupError(unknown_message)."""

    def __init__(
        self,
        name: str,
        benchmarks: dict[str, Optional[bytes]],
        unknown_message: str = "Unknown program name",
    ):
        self.name = canonical_uri(name).rstrip("/")
        self._benchmarks = {
            f"{self.name}/{k}" if "://" not in k else k: v for k, v in benchmarks.items()
        }
        self.unknown_message = unknown_message

    def benchmark_uris(self) -> Iterable[str]:
        return iter(self._benchmarks)

    def benchmarks(self) -> Iterable[Benchmark]:
        return (Benchmark(u, p) for u, p in self._benchmarks.items())

    def benchmark(self, uri: str) -> Benchmark:
        uri = canonical_uri(uri)
        if uri not in self._benchmarks:
            raise LookupError(self.unknown_message)
        return Benchmark(uri, self._benchmarks[uri])

    def owns(self, uri: str) -> bool:
        return canonical_uri(uri).startswith(self.name + "/")


class Datasets:
    """A collection of datasets."""

    def __init__(self, datasets: Iterable[Dataset] = ()):
        self._datasets = list(datasets)

    def __iter__(self):
        return iter(self._datasets)

    def benchmark_uris(self):
        for d in self._datasets:
            yield from d.benchmark_uris()

    def benchmark(self, uri: Union[str, Benchmark]) -> Benchmark:
        if isinstance(uri, Benchmark):
            return uri
        for d in self._datasets:
            if d.owns(uri):
                return d.benchmark(uri)
        return Benchmark(uri)

    def first(self) -> Optional[Benchmark]:
        for d in self._datasets:
            for b in d.benchmarks():
                return b
        return None
