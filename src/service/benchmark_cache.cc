// SPDX-License-Identifier: MIT
#include "service/benchmark_cache.h"

#include "common/logging.h"

namespace cgym {

BenchmarkCache::BenchmarkCache(uint64_t maxSizeInBytes, std::optional<uint64_t> seed)
    : maxSizeInBytes_(maxSizeInBytes), rng_(seed ? *seed : std::random_device{}()) {}

std::shared_ptr<const compiler_gym::Benchmark> BenchmarkCache::get(const std::string& uri) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(uri);
  return it == entries_.end() ? nullptr : it->second.benchmark;
}

bool BenchmarkCache::contains(const std::string& uri) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(uri) != 0;
}

std::shared_ptr<const compiler_gym::Benchmark> BenchmarkCache::add(
    compiler_gym::Benchmark benchmark) {
  const uint64_t size = benchmark.ByteSizeLong();
  std::string uri = benchmark.uri();
  auto stored = std::make_shared<const compiler_gym::Benchmark>(std::move(benchmark));

  std::lock_guard<std::mutex> lock(mutex_);
  auto existing = entries_.find(uri);
  if (existing != entries_.end()) {
    eraseLocked(existing);
  }
  if (sizeInBytes_ + size > maxSizeInBytes_) {
    if (size > maxSizeInBytes_) {
      logger().warn(
          "Adding new benchmark with size {} bytes exceeds total target cache size of {} bytes",
          size, maxSizeInBytes_);
    } else {
      logger().debug(
          "Adding new benchmark with size {} bytes exceeds maximum size {} bytes, {} items", size,
          maxSizeInBytes_, entries_.size());
    }
    evictLocked(maxSizeInBytes_ / 2);
  }
  keys_.push_back(uri);
  entries_.emplace(std::move(uri), Entry{stored, size, keys_.size() - 1});
  sizeInBytes_ += size;
  return stored;
}

void BenchmarkCache::evictToCapacity(std::optional<uint64_t> targetSizeInBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  evictLocked(targetSizeInBytes ? *targetSizeInBytes : maxSizeInBytes_ / 2);
}

void BenchmarkCache::setMaxSizeInBytes(uint64_t maxSizeInBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  maxSizeInBytes_ = maxSizeInBytes;
  evictLocked(maxSizeInBytes);
}

size_t BenchmarkCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

uint64_t BenchmarkCache::sizeInBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sizeInBytes_;
}

uint64_t BenchmarkCache::maxSizeInBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return maxSizeInBytes_;
}

uint64_t BenchmarkCache::evictionCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return evictionCount_;
}

void BenchmarkCache::eraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  // Swap-remove from keys_, fixing the index of the key that moved.
  const size_t index = it->second.index;
  if (index != keys_.size() - 1) {
    keys_[index] = std::move(keys_.back());
    entries_.at(keys_[index]).index = index;
  }
  keys_.pop_back();
  sizeInBytes_ -= it->second.size;
  entries_.erase(it);
}

void BenchmarkCache::evictLocked(uint64_t target) {
  ++evictionCount_;
  size_t evicted = 0;
  while (!keys_.empty() && sizeInBytes_ > target) {
    std::uniform_int_distribution<size_t> pick(0, keys_.size() - 1);
    eraseLocked(entries_.find(keys_[pick(rng_)]));
    ++evicted;
  }
  logger().info("Evicted {} benchmarks from cache. Benchmark cache size now {} bytes, {} items",
                evicted, sizeInBytes_, entries_.size());
}

}  // namespace cgym
