// SPDX-License-Identifier: MIT
// CompilerGym's CompilerEnvState, its CSV/JSON forms and ValidationResult (compiler_gym package).
//
// Formats are byte-compatible with CompilerGym 0.2.5 (Python 3, pydantic 1):
//  * JSON is what pydantic's `state.json()` prints: keys benchmark, commandline, walltime, reward
//    in that order, separators ", " and ": ", non-ASCII escaped as \uXXXX, floats as Python's
//    repr ("100.0", "1e-05"), an absent reward as null.
//  * CSV is what CompilerEnvStateWriter writes: header "benchmark,reward,walltime,commandline",
//    "\n" line endings, the csv module's minimal quoting, floats as Python's repr, an absent
//    reward as an empty field. The reader accepts what CompilerEnvStateReader accepts.
//
// Deliberate differences from CompilerGym (all in the direction of rejecting bad data or keeping
// a round trip intact):
//  * The benchmark must be non-empty (CompilerGym accepts "").
//  * The writer also quotes fields that contain '\r' (Python 3.11's csv module does not, so its
//    output does not survive a read back), and fields that start with U+FEFF (unquoted at the
//    start of the text, its bytes would read as a byte order mark, which the reader drops).
//  * The reader keeps "\r" and "\r\n" inside quoted fields as they are (Python's csv module
//    with newline=''; CompilerGym opens files with universal newlines, which turns them into
//    "\n"), so that a field with a '\r' survives a round trip.
//  * The reader rejects a quoted field that is still open at the end of the input (Python's
//    non-strict csv reader silently takes the rest of the file into that field), and it skips
//    wholly blank lines (Python reports them as rows with 0 columns).
//  * Later rows must have 4 columns too; number fields and states are checked row by row and the
//    error names the line.
//  * http(s) URLs are not fetched (see readStatePaths()).
//
// No function here throws; errors are reported as a Status.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cgym::client {

// The state of an environment: a benchmark and the actions applied to it (as a commandline),
// with the episode's walltime in seconds and, optionally, its cumulative reward.
struct CompilerEnvState {
  std::string benchmark;
  std::string commandline;
  double walltime = 0;
  std::optional<double> reward;

  // Builds a validated state into *out (left untouched on error). INVALID_ARGUMENT if the
  // benchmark is empty or if walltime is negative or NaN ("Walltime cannot be negative").
  // The commandline may be empty.
  static Status make(std::string benchmark, std::string commandline, double walltime,
                     std::optional<double> reward, CompilerEnvState* out);

  // Checks the invariants make() enforces, for a state built field by field.
  Status validate() const;

  // E.g. {"benchmark": "benchmark://cbench-v1/crc32", "commandline": "-a -b", "walltime": 5.0,
  // "reward": null}; see the top of this file.
  std::string toJson() const;

  // Parses a JSON object with keys benchmark (string), commandline (string), walltime (number)
  // and optionally reward (number or null); other keys are ignored. As Python's json.loads(),
  // NaN, Infinity and -Infinity are numbers too. INVALID_ARGUMENT for malformed JSON (the
  // message says why, in at most 200 bytes of nlohmann's words), a non-object, a missing required
  // field or a field of the wrong type (the message names the field), and for a state make()
  // rejects.
  static Status fromJson(const std::string& json, CompilerEnvState* out);
};

// CompilerGym's equality: benchmark and commandline must be equal; walltime is ignored; rewards
// are compared (|a - b| < 1e-5) only when both states have one.
bool operator==(const CompilerEnvState& a, const CompilerEnvState& b);
bool operator!=(const CompilerEnvState& a, const CompilerEnvState& b);

// Parses a JSON array of states (each as CompilerEnvState::fromJson reads it, NaN and Infinity
// included). INVALID_ARGUMENT "Expected a JSON array of states: <why>" for malformed JSON,
// "Expected a JSON array of states, not <type>" for other JSON; *out is untouched on error.
Status statesFromJsonArray(const std::string& json, std::vector<CompilerEnvState>* out);

// Python's repr() of a float: the shortest digits that round-trip, exponent form when the
// decimal exponent is < -4 or >= 16 ("1e-05", "1e+16"), else fixed with at least one decimal
// ("2.0", "0.0001", "1000000000000000.0"); "inf", "-inf", "nan".
std::string pythonFloatRepr(double value);

// Writes states as CSV to a stream it does not own (the caller closes files). The header, if
// wanted, is written once, just before the first row. Write errors show in the stream's state.
class CompilerEnvStateWriter {
 public:
  explicit CompilerEnvStateWriter(std::ostream& out, bool header = true);

  // Writes one row "benchmark,reward,walltime,commandline\n"; flushes the stream if asked.
  void writeState(const CompilerEnvState& state, bool flush = false);

 private:
  std::ostream& out_;
  bool header_;
};

// Reads every state from CSV text and appends them to *out, in file order.
//  * If the first row, lowercased, is a permutation of benchmark,reward,walltime,commandline it
//    is a header that gives the column order; otherwise every row is data in that order.
//  * The first row must have 4 columns, else INVALID_ARGUMENT
//    "Expected 4 columns in the first row of CSV: ['abcdef']" (Python's repr of the row,
//    truncated to 60 characters like CompilerGym's).
//  * An empty reward is no reward, an empty walltime is 0; numbers use Python's float() syntax
//    ("2", " 2.5 ", "1e-05", "inf", "1_000").
//  * Empty input, or a header alone, yields no states.
//  * Fields follow Python's csv module: "quoted, fields", doubled "" quotes, newlines inside
//    quotes; outside quotes "\r\n" and "\r" end a line as "\n" does, inside quotes they are
//    kept as they are.
// On error (INVALID_ARGUMENT, or DATA_LOSS if the stream fails), the states of the rows before
// the bad one have been appended.
Status readStates(std::istream& in, std::vector<CompilerEnvState>* out);

// Reads the states of several inputs, in order, appending to *out (as readStates()):
//  * "-" reads `stdin_stream` (std::cin in the two-argument overload);
//  * an "http://" or "https://" URL ending in ".csv" (the URLs CompilerGym fetches) gives
//    UNIMPLEMENTED: this build makes no network requests (the machines it targets have no
//    network), so download the file and pass its path;
//  * anything else is a file path: NOT_FOUND naming the path if it does not exist (this
//    includes other "URLs", as in CompilerGym), PERMISSION_DENIED if unreadable,
//    INVALID_ARGUMENT if it is a directory.
// Parse errors are prefixed with the path ("<stdin>" for "-").
Status readStatePaths(const std::vector<std::string>& paths, std::vector<CompilerEnvState>* out);
Status readStatePaths(const std::vector<std::string>& paths, std::vector<CompilerEnvState>* out,
                      std::istream& stdin_stream);

// One error found by validation. `type` is a short description (e.g. "Runtime crash");
// `data` is a JSON document (normally an object) of details, "" meaning {}.
struct ValidationError {
  std::string type;
  std::string data;
};

bool operator==(const ValidationError& a, const ValidationError& b);
bool operator!=(const ValidationError& a, const ValidationError& b);

// The result of validating a state (CompilerGym's ValidationResult). Just data: the client's
// validate() fills it in.
struct ValidationResult {
  CompilerEnvState state;
  // Seconds the validation took.
  double walltime = 0;
  bool reward_validated = false;
  bool actions_replay_failed = false;
  bool reward_validation_failed = false;
  bool benchmark_semantics_validated = false;
  bool benchmark_semantics_validation_failed = false;
  std::vector<ValidationError> errors;

  // No failure: neither actions replay, reward validation nor semantics validation failed.
  bool okay() const;

  // CompilerGym's error_details: "" when there are no errors; "<type>" or "<n>× <type>" for a
  // single kind; else "[1/k] <n>× <type>, [2/k] <type>, ..." by decreasing count (after the
  // third kind, if more than 3 remain: "... (<r> more errors)").
  std::string errorDetails() const;

  // pydantic's ValidationResult.json(): keys in declaration order, the state nested as in
  // CompilerEnvState::toJson(), errors as [{"type": ..., "data": {...}}] (data embedded as JSON;
  // as a JSON string if it is not valid JSON).
  std::string toJson() const;
};

// CompilerGym's equality: walltime is ignored and errors are compared as a multiset.
bool operator==(const ValidationResult& a, const ValidationResult& b);
bool operator!=(const ValidationResult& a, const ValidationResult& b);

}  // namespace cgym::client
