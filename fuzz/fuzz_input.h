// SPDX-License-Identifier: MIT
// The input format of the ServiceCore fuzzers, shared by the fuzzers (which decode it) and the
// seed generator (which encodes it):
//
//   input   := options:u8 record*
//   record  := rpc:u8 length:u16le payload[length]      (the payload is cut at the input's end)
//   rpc     := an Rpc below, modulo kRpcCount
//   payload := the request message of that RPC, serialized
//
// `options` configures the ServiceCore of the run (see service_core_driver.h). A fixed record
// layout (rather than, say, a serialized list of requests) keeps libFuzzer's byte mutations
// useful: a mutation changes one request, or the order of requests, without breaking the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message_lite.h>

namespace cgym::fuzz {

enum class Rpc : uint8_t {
  kGetVersion = 0,
  kGetSpaces = 1,
  kStartSession = 2,
  kForkSession = 3,
  kEndSession = 4,
  kStep = 5,
  kAddBenchmark = 6,
  kSendSessionParameter = 7,
};
constexpr uint8_t kRpcCount = 8;
constexpr size_t kRecordHeaderSize = 3;

// A message's bytes, with map entries in a fixed order, so that the seed files do not change
// from one run of the generator to the next.
inline std::string deterministicBytes(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// Appends one record to an input being built.
inline void appendRecord(std::string* input, Rpc rpc,
                         const google::protobuf::MessageLite& request) {
  std::string payload = deterministicBytes(request);
  if (payload.size() > 0xffff) payload.resize(0xffff);
  input->push_back(static_cast<char>(rpc));
  input->push_back(static_cast<char>(payload.size() & 0xff));
  input->push_back(static_cast<char>(payload.size() >> 8));
  input->append(payload);
}

// Reads the records of an input, after its options byte, one at a time.
class RecordReader {
 public:
  RecordReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // False at the end of the input (a partial header is ignored).
  bool next(Rpc* rpc, const uint8_t** payload, size_t* length) {
    if (size_ - offset_ < kRecordHeaderSize) return false;
    *rpc = static_cast<Rpc>(data_[offset_] % kRpcCount);
    size_t declared = data_[offset_ + 1] | (static_cast<size_t>(data_[offset_ + 2]) << 8);
    offset_ += kRecordHeaderSize;
    *length = declared < size_ - offset_ ? declared : size_ - offset_;
    *payload = data_ + offset_;
    offset_ += *length;
    return true;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
};

}  // namespace cgym::fuzz
