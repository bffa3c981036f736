# SPDX-License-Identifier: MIT
"""Benchmarks and datasets: client-side datasets (a fixed set of benchmarks by URI, e.g. the
example service's) and the datasets libcgym serves for the envs of cgym.make()
(cgym_datasets and friends: the bundled programs, the generators and directories of the
user's sources)."""

import os
import random
import sys
import types
from collections.abc import Iterable, Iterator, Sequence
from typing import Optional, Union

from . import _cgym as C
from .errors import OUT_OF_RANGE, ServiceError


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


def _seed_of(seed) -> int:
    """A uint64 seed: an int as it is (mod 2**64), a numpy Generator's next draw, or a fresh
    random one for None."""
    if seed is None:
        return random.getrandbits(64)
    integers = getattr(seed, "integers", None)
    if integers is not None:  # a numpy.random.Generator, as CompilerGym's random_state
        return int(integers(0, 2**63)) & (2**64 - 1)
    return int(seed) & (2**64 - 1)


class Dataset:
    """A named set of benchmarks, e.g. Dataset("benchmark://example-compiler-v0",
    {"foo": b"Ir data"}). Looking up another benchmark of the dataset raises
    LookupError(unknown_message)."""

    def __init__(
        self,
        name: str,
        benchmarks: dict[str, Optional[bytes]],
        unknown_message: str = "Unknown program name",
        description: str = "",
    ):
        self.name = canonical_uri(name).rstrip("/")
        self.description = description
        self._benchmarks = {
            f"{self.name}/{k}" if "://" not in k else k: v for k, v in benchmarks.items()
        }
        self.unknown_message = unknown_message

    @property
    def size(self) -> int:
        """The number of benchmarks; 0 for a generator, whose benchmarks never end."""
        return len(self._benchmarks)

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        # A generator's size is 0, yet it is no empty dataset.
        return True

    def __iter__(self) -> Iterator["Benchmark"]:
        return iter(self.benchmarks())

    def benchmark_uris(self) -> Iterable[str]:
        return iter(self._benchmarks)

    def benchmarks(self) -> Iterable[Benchmark]:
        return (Benchmark(u, p) for u, p in self._benchmarks.items())

    def benchmark(self, uri: str) -> Benchmark:
        uri = canonical_uri(uri)
        if uri not in self._benchmarks:
            raise LookupError(self.unknown_message)
        return Benchmark(uri, self._benchmarks[uri])

    def benchmark_at(self, index: int) -> Benchmark:
        """The index-th benchmark (IndexError past the end)."""
        uris = list(self._benchmarks)
        if not 0 <= index < len(uris):
            raise IndexError(f"Benchmark index out of range: {index}")
        return self.benchmark(uris[index])

    def random_benchmark(self, seed=None) -> Benchmark:
        """A benchmark drawn uniformly; the same one for the same seed."""
        if not self._benchmarks:
            raise LookupError(f"Dataset is empty: {self.name}")
        return self.benchmark_at(random.Random(_seed_of(seed)).randrange(len(self._benchmarks)))

    def owns(self, uri: str) -> bool:
        return canonical_uri(uri).startswith(self.name + "/")

    def __repr__(self):
        return self.name


class LibraryDataset(Dataset):
    """A dataset libcgym serves (cgym_dataset_info, cgym_dataset_benchmark_at,
    cgym_dataset_random_benchmark): "benchmark://cgym-v0", the generators
    "generator://csmith-v0" and "generator://llvm-stress-v0", or a directory of the user's
    sources "file:///ABSOLUTE/DIR". Its benchmarks are URIs that the LLVM environment
    resolves itself (no program bytes)."""

    def __init__(self, name: str):
        # Checks the name now: FileNotFoundError (NOT_FOUND) for an unknown dataset.
        description, size = C.cgym_dataset_info(name)
        super().__init__(name, {}, description=description or "")
        self.name = name.rstrip("/") if not name.endswith(":///") else name
        self._size = int(size)
        self._uris: Optional[list[str]] = None

    @property
    def size(self) -> int:
        return self._size

    @property
    def is_generator(self) -> bool:
        return self._size == 0

    def _all_uris(self) -> list[str]:
        if self._uris is None:
            self._uris = [self._uri_at(i) for i in range(self._size)]
        return self._uris

    def _uri_at(self, index: int) -> str:
        try:
            return C.cgym_dataset_benchmark_at(self.name, int(index))
        except ServiceError as e:
            # OUT_OF_RANGE is an IndexError here, as for any Python sequence.
            if getattr(e, "code", None) != OUT_OF_RANGE:
                raise
            error = IndexError(str(e))
            error.code = OUT_OF_RANGE
            raise error from None

    def benchmark_uris(self) -> Iterator[str]:
        """The benchmarks' URIs in order; endless (seed after seed) for a generator."""
        if not self.is_generator:
            yield from self._all_uris()
            return
        index = 0
        while True:
            try:
                uri = self._uri_at(index)
            except IndexError:  # past the generator's last seed
                return
            yield uri
            index += 1

    def benchmarks(self) -> Iterator[Benchmark]:
        return (Benchmark(uri) for uri in self.benchmark_uris())

    def benchmark(self, uri: str) -> Benchmark:
        """The benchmark of this URI; LookupError if the dataset has no such benchmark."""
        uri = canonical_uri(uri)
        if not self.owns(uri):
            raise LookupError(f"Benchmark not found: {uri}")
        if self.is_generator:
            seed = uri[len(self.name) + 1 :]
            if not seed.isdigit() or self._try_uri_at(int(seed)) != uri:
                raise LookupError(f"Benchmark not found: {uri}")
        elif uri not in self._all_uris():
            raise LookupError(f"Benchmark not found: {uri}")
        return Benchmark(uri)

    def _try_uri_at(self, index: int) -> Optional[str]:
        try:
            return self._uri_at(index)
        except IndexError:
            return None

    def benchmark_at(self, index: int) -> Benchmark:
        """The index-th benchmark (a generator's: seed `index`). IndexError (OUT_OF_RANGE)
        past the end."""
        if index < 0:
            raise IndexError(f"Benchmark index out of range: {index}")
        return Benchmark(self._uri_at(index))

    def random_benchmark(self, seed=None) -> Benchmark:
        """A benchmark drawn uniformly with a generator seeded by `seed` (an int: the same
        benchmark for the same seed in every language; None: a fresh random seed)."""
        return Benchmark(C.cgym_dataset_random_benchmark(self.name, _seed_of(seed)))


class Datasets:
    """A collection of datasets: iterating yields them in order; ``datasets[name]`` and
    ``datasets.dataset(name)`` find one by name ("benchmark://cgym-v0", or "cgym-v0")."""

    def __init__(self, datasets: Iterable[Dataset] = ()):
        self._datasets = list(datasets)

    def __iter__(self) -> Iterator[Dataset]:
        return iter(self._datasets)

    def __len__(self) -> int:
        return len(self._datasets)

    def __bool__(self) -> bool:
        return bool(self._datasets)

    def __contains__(self, name) -> bool:
        try:
            self.dataset(name)
        except LookupError:
            return False
        return True

    def __getitem__(self, name: str) -> Dataset:
        return self.dataset(name)

    def datasets(self) -> Iterator[Dataset]:
        return iter(self._datasets)

    def dataset(self, name: str) -> Dataset:
        """The dataset of this name; a name without a scheme ("cgym-v0", "csmith-v0") matches
        a dataset of any scheme. A "file:///ABSOLUTE/DIR" directory of sources needs not be
        listed. LookupError for an unknown dataset."""
        name = str(name).rstrip("/") if not str(name).endswith(":///") else str(name)
        for d in self._datasets:
            if d.name == name or ("://" not in name and d.name.split("://", 1)[1] == name):
                return d
        if name.startswith("file://"):
            try:
                return LibraryDataset(name)
            except FileNotFoundError as e:
                raise LookupError(f"Dataset not found: {name} ({e})") from e
        raise LookupError(f"Dataset not found: {canonical_uri(name)}")

    def benchmark_uris(self) -> Iterator[str]:
        for d in self._datasets:
            yield from d.benchmark_uris()

    def benchmarks(self) -> Iterator[Benchmark]:
        for d in self._datasets:
            yield from d.benchmarks()

    def benchmark(self, uri: Union[str, Benchmark]) -> Benchmark:
        """The benchmark of a URI: checked by the dataset that owns it (LookupError if it has
        no such benchmark); a URI of no dataset is taken as it is."""
        if isinstance(uri, Benchmark):
            return uri
        for d in self._datasets:
            if d.owns(uri):
                return d.benchmark(uri)
        return Benchmark(uri)

    def random_benchmark(self, seed=None) -> Benchmark:
        """A dataset drawn uniformly, then a benchmark of it (Dataset.random_benchmark); the
        same benchmark for the same seed."""
        if not self._datasets:
            raise LookupError("No datasets")
        rng = random.Random(_seed_of(seed))
        dataset = self._datasets[rng.randrange(len(self._datasets))]
        return dataset.random_benchmark(rng.getrandbits(64))

    def first(self) -> Optional[Benchmark]:
        for d in self._datasets:
            for b in d.benchmarks():
                return b
        return None


def datasets(env_id: str) -> Datasets:
    """The datasets of an env id of cgym.make() (cgym_datasets), in order. FileNotFoundError
    (NOT_FOUND) for an unknown id."""
    return Datasets(LibraryDataset(name) for name in C.cgym_datasets(env_id))


def _paths(inputs: Union[str, os.PathLike, Sequence]) -> list[str]:
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    return [os.fsdecode(p) for p in inputs]


def make_benchmark(
    inputs: Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]],
    copt: Optional[Sequence[str]] = None,
) -> Benchmark:
    """A benchmark (URI "benchmark://user-v0/..." and bitcode) from the user's files: .c,
    .cc, .cpp and .cxx sources compiled with clang (with the options `copt`), .ll files
    assembled, .bc files as they are, several inputs linked into one module
    (cgym_make_benchmark). FileNotFoundError for a missing file, ValueError for no input or an
    unknown file type, BenchmarkInitError with clang's message for a source that does not
    compile."""
    uri, bitcode = C.cgym_make_benchmark(_paths(inputs), [str(c) for c in copt or []])
    return Benchmark(uri, bitcode)


def make_benchmark_from_source(
    source: str, copt: Optional[Sequence[str]] = None, lang: str = "c"
) -> Benchmark:
    """make_benchmark() of a string of source code in `lang` "c" or "c++"."""
    uri, bitcode = C.cgym_make_benchmark_from_source(source, lang, [str(c) for c in copt or []])
    return Benchmark(uri, bitcode)


class _CallableModule(types.ModuleType):
    """cgym.datasets is this module and also the function datasets(env_id) (CompilerGym's
    envs list their datasets under that name): calling the module calls the function, so
    neither shadows the other."""

    def __call__(self, env_id: str) -> Datasets:
        return datasets(env_id)


sys.modules[__name__].__class__ = _CallableModule
