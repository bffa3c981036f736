// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler_gym_service.pb.h"

namespace cgym {

// The service's store of benchmarks, keyed by URI, with CompilerGym's semantics: sizes are
// the benchmarks' serialized sizes; adding a benchmark that would exceed the limit first
// evicts random entries down to half the limit, then inserts unconditionally (so a single
// benchmark larger than the limit is kept); adding a URI that exists replaces it; lowering
// the limit evicts down to the new limit.
//
// Thread-safe. Benchmarks are handed out as shared pointers, so a session that holds one
// is not affected by a later eviction or replacement.
class BenchmarkCache {
 public:
  // The default limit CompilerGym documents (512 * 104 * 1024 bytes).
  static constexpr uint64_t kDefaultMaxSizeInBytes = 54525952;

  // `seed` makes eviction deterministic (tests); without it the generator is seeded from
  // std::random_device.
  explicit BenchmarkCache(uint64_t maxSizeInBytes = kDefaultMaxSizeInBytes,
                          std::optional<uint64_t> seed = std::nullopt);

  // The benchmark with this URI, or nullptr.
  std::shared_ptr<const compiler_gym::Benchmark> get(const std::string& uri) const;
  bool contains(const std::string& uri) const;

  // Adds (or replaces) a benchmark, evicting first if needed. Returns the stored benchmark.
  std::shared_ptr<const compiler_gym::Benchmark> add(compiler_gym::Benchmark benchmark);

  // Evicts random benchmarks until the cache holds at most `targetSizeInBytes` (default:
  // half the limit).
  void evictToCapacity(std::optional<uint64_t> targetSizeInBytes = std::nullopt);

  // Sets the limit and evicts down to it.
  void setMaxSizeInBytes(uint64_t maxSizeInBytes);

  size_t size() const;
  uint64_t sizeInBytes() const;
  uint64_t maxSizeInBytes() const;
  // How many times an eviction pass ran (for tests and monitoring).
  uint64_t evictionCount() const;

 private:
  struct Entry {
    std::shared_ptr<const compiler_gym::Benchmark> benchmark;
    uint64_t size;
    size_t index;  // position in keys_
  };

  void eraseLocked(std::unordered_map<std::string, Entry>::iterator it);
  void evictLocked(uint64_t target);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // The URIs, so that a uniformly random victim is found in O(1) and in an order that does
  // not depend on the hash map's implementation.
  std::vector<std::string> keys_;
  uint64_t sizeInBytes_ = 0;
  uint64_t maxSizeInBytes_;
  uint64_t evictionCount_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace cgym
