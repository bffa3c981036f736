// SPDX-License-Identifier: MIT
// BenchmarkCache against the expectations of CompilerGym's own BenchmarkCache tests.
#include "service/benchmark_cache.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include "common/logging.h"

namespace cgym {
namespace {

using compiler_gym::Benchmark;

// A benchmark whose serialized size is exactly `size` bytes.
Benchmark makeBenchmarkOfSize(const std::string& uri, size_t size) {
  Benchmark benchmark;
  benchmark.set_uri(uri);
  const size_t base = benchmark.ByteSizeLong();
  EXPECT_LE(base + 4, size) << "size too small for uri " << uri;
  // program.contents costs a tag byte, a length byte and the contents for the File, plus the
  // same two bytes for the program field (lengths below 128 take one byte).
  size_t contents = size - base - 4;
  if (contents >= 126) contents -= 2;  // two-byte lengths for the larger sizes
  benchmark.mutable_program()->set_contents(std::string(contents, 'x'));
  while (benchmark.ByteSizeLong() > size) {
    benchmark.mutable_program()->mutable_contents()->pop_back();
  }
  while (benchmark.ByteSizeLong() < size) {
    benchmark.mutable_program()->mutable_contents()->push_back('x');
  }
  return benchmark;
}

// Captures the cache's log messages for one test.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)) {
    previousLevel_ = logger().level();
    logger().set_level(spdlog::level::debug);
    sink_->set_level(spdlog::level::info);
    sink_->set_pattern("%l %v");
    logger().sinks().push_back(sink_);
  }
  ~LogCapture() {
    logger().sinks().pop_back();
    logger().set_level(previousLevel_);
  }
  std::vector<std::string> lines() { return sink_->last_formatted(); }
  size_t count(const std::string& prefix) {
    size_t n = 0;
    for (const std::string& line : lines()) n += line.rfind(prefix, 0) == 0;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  spdlog::level::level_enum previousLevel_;
};

TEST(BenchmarkCacheTest, HelperBuildsBenchmarksOfExactSizes) {
  for (size_t size : {10, 50, 100, 1024}) {
    EXPECT_EQ(makeBenchmarkOfSize("a", size).ByteSizeLong(), size);
  }
  EXPECT_EQ(makeBenchmarkOfSize("abc", 10).ByteSizeLong(), 10u);
}

TEST(BenchmarkCacheTest, DefaultLimitIsCompilerGymsDocumentedValue) {
  BenchmarkCache cache;
  EXPECT_EQ(cache.maxSizeInBytes(), 54525952u);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.sizeInBytes(), 0u);
}

TEST(BenchmarkCacheTest, OversizedBenchmarkIsKeptAfterOneEviction) {
  LogCapture logs;
  BenchmarkCache cache(/*maxSizeInBytes=*/10, /*seed=*/0);
  cache.add(makeBenchmarkOfSize("a", 50));
  EXPECT_EQ(cache.evictionCount(), 1u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.sizeInBytes(), 50u);
  EXPECT_EQ(logs.count("warning Adding new benchmark with size 50 bytes exceeds total target "
                       "cache size of 10 bytes"),
            1u);
}

TEST(BenchmarkCacheTest, ReplacingAUriReplacesItsSize) {
  BenchmarkCache cache;
  cache.add(makeBenchmarkOfSize("a", 30));
  EXPECT_EQ(cache.sizeInBytes(), 30u);
  cache.add(makeBenchmarkOfSize("a", 50));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.sizeInBytes(), 50u);
  EXPECT_EQ(cache.evictionCount(), 0u);
}

TEST(BenchmarkCacheTest, EvictsToHalfTheLimitBeforeInserting) {
  LogCapture logs;
  BenchmarkCache cache(/*maxSizeInBytes=*/100, /*seed=*/1);
  cache.add(makeBenchmarkOfSize("a", 30));
  cache.add(makeBenchmarkOfSize("b", 30));
  cache.add(makeBenchmarkOfSize("c", 30));
  EXPECT_EQ(cache.evictionCount(), 0u);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.sizeInBytes(), 90u);

  cache.add(makeBenchmarkOfSize("d", 30));
  EXPECT_EQ(cache.evictionCount(), 1u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.sizeInBytes(), 60u);
  EXPECT_TRUE(cache.contains("d"));
  EXPECT_EQ(logs.count("info Evicted 2 benchmarks from cache. Benchmark cache size now 30 bytes, "
                       "1 items"),
            1u);
}

TEST(BenchmarkCacheTest, ContainsAndGet) {
  BenchmarkCache cache;
  const Benchmark a = makeBenchmarkOfSize("a", 30);
  const Benchmark b = makeBenchmarkOfSize("b", 50);
  cache.add(a);
  cache.add(b);
  EXPECT_TRUE(cache.contains("a"));
  EXPECT_TRUE(cache.contains("b"));
  EXPECT_FALSE(cache.contains("c"));
  ASSERT_NE(cache.get("a"), nullptr);
  ASSERT_NE(cache.get("b"), nullptr);
  EXPECT_EQ(cache.get("a")->DebugString(), a.DebugString());
  EXPECT_EQ(cache.get("b")->DebugString(), b.DebugString());
  EXPECT_NE(cache.get("a")->DebugString(), cache.get("b")->DebugString());
  EXPECT_EQ(cache.get("c"), nullptr);
}

TEST(BenchmarkCacheTest, LoweringTheLimitEvictsToTheNewLimit) {
  BenchmarkCache cache(/*maxSizeInBytes=*/100, /*seed=*/2);
  cache.add(makeBenchmarkOfSize("a", 30));
  cache.add(makeBenchmarkOfSize("b", 30));
  cache.add(makeBenchmarkOfSize("c", 30));
  EXPECT_EQ(cache.sizeInBytes(), 90u);
  cache.setMaxSizeInBytes(50);
  EXPECT_EQ(cache.evictionCount(), 1u);
  EXPECT_EQ(cache.maxSizeInBytes(), 50u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.sizeInBytes(), 30u);
}

TEST(BenchmarkCacheTest, LoweringTheDefaultLimit) {
  BenchmarkCache cache;
  cache.add(makeBenchmarkOfSize("a", 30));
  cache.add(makeBenchmarkOfSize("b", 30));
  cache.add(makeBenchmarkOfSize("c", 30));
  cache.setMaxSizeInBytes(50);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.sizeInBytes(), 30u);
}

TEST(BenchmarkCacheTest, EvictToCapacityDefaultsToHalfTheLimit) {
  BenchmarkCache cache(/*maxSizeInBytes=*/200, /*seed=*/3);
  for (const char* uri : {"a", "b", "c", "d", "e"}) cache.add(makeBenchmarkOfSize(uri, 30));
  EXPECT_EQ(cache.sizeInBytes(), 150u);
  cache.evictToCapacity();
  EXPECT_EQ(cache.sizeInBytes(), 90u);
  cache.evictToCapacity(30);
  EXPECT_EQ(cache.sizeInBytes(), 30u);
  cache.evictToCapacity(0);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.sizeInBytes(), 0u);
  cache.evictToCapacity(0);  // on an empty cache: nothing to do, no failure
  EXPECT_EQ(cache.size(), 0u);
}

TEST(BenchmarkCacheTest, EvictionIsDeterministicForAGivenSeed) {
  auto survivors = [](uint64_t seed) {
    BenchmarkCache cache(/*maxSizeInBytes=*/1000, seed);
    std::vector<std::string> uris;
    for (int i = 0; i < 20; ++i) {
      uris.push_back("u" + std::to_string(i));
      cache.add(makeBenchmarkOfSize(uris.back(), 40));
    }
    cache.evictToCapacity(200);
    std::string kept;
    for (const std::string& uri : uris) kept += cache.contains(uri) ? '1' : '0';
    return kept;
  };
  const std::string kept = survivors(7);
  EXPECT_EQ(kept, survivors(7));
  EXPECT_EQ(std::count(kept.begin(), kept.end(), '1'), 5);
  // Different seeds pick different victims (fixed seeds, so this cannot flake).
  EXPECT_NE(survivors(7), survivors(8));
}

TEST(BenchmarkCacheTest, AHeldBenchmarkSurvivesEviction) {
  BenchmarkCache cache(/*maxSizeInBytes=*/100, /*seed=*/4);
  cache.add(makeBenchmarkOfSize("a", 60));
  std::shared_ptr<const Benchmark> held = cache.get("a");
  cache.evictToCapacity(0);
  EXPECT_FALSE(cache.contains("a"));
  EXPECT_EQ(held->uri(), "a");
  EXPECT_EQ(held->ByteSizeLong(), 60u);
}

}  // namespace
}  // namespace cgym
