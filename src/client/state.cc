// SPDX-License-Identifier: MIT
#include "client/state.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <istream>
#include <iterator>
#include <ostream>
#include <system_error>
#include <utility>

#include <sys/stat.h>
#include <nlohmann/json.hpp>

namespace cgym::client {
namespace {

using nlohmann::ordered_json;

constexpr std::array<const char*, 4> kColumns = {"benchmark", "reward", "walltime", "commandline"};

Status invalidArgument(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// --- Python's JSON ----------------------------------------------------------------------------

// The reason nlohmann gives for rejecting text, cut to 200 bytes (at a UTF-8 character boundary:
// it may quote the input).
std::string jsonErrorReason(const std::exception& e) {
  std::string reason = e.what();
  constexpr size_t kMaxBytes = 200;
  if (reason.size() <= kMaxBytes) return reason;
  size_t cut = kMaxBytes;
  while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
  return reason.substr(0, cut) + "...";
}

// Parses JSON as Python's json.loads() does: NaN, Infinity and -Infinity are numbers too (the
// JSON writer writes them, as json.dumps() does), which nlohmann rejects. Outside strings each
// is replaced before parsing by " 0" and spaces (same length, so that nlohmann's columns stay
// right; the spaces keep "-NaN" or "NaN.5" invalid, as in Python), and the parse callback puts
// the value back into the k-th number. On error *reason says why.
bool parsePythonJson(const std::string& text, nlohmann::json* out, std::string* reason) {
  std::string rewritten;
  rewritten.reserve(text.size());
  std::vector<std::pair<size_t, double>> nonfinite;  // (index among the numbers, value)
  size_t numbers = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        rewritten.append(text, i, 2);
        i += 2;
        continue;
      }
      if (c == '"') in_string = false;
      rewritten += c;
      ++i;
      continue;
    }
    size_t length = 0;
    double value = 0;
    if (text.compare(i, 3, "NaN") == 0) {
      length = 3;
      value = std::nan("");
    } else if (text.compare(i, 8, "Infinity") == 0) {
      length = 8;
      value = HUGE_VAL;
    } else if (text.compare(i, 9, "-Infinity") == 0) {
      length = 9;
      value = -HUGE_VAL;
    }
    if (length > 0) {
      nonfinite.emplace_back(numbers++, value);
      rewritten += " 0";
      rewritten.append(length - 2, ' ');
      i += length;
    } else if (c == '-' || isDigit(c)) {
      // A number: nlohmann's number tokens in text it accepts are these runs.
      ++numbers;
      while (i < text.size() && (isDigit(text[i]) || std::strchr("+-.eE", text[i]) != nullptr)) {
        rewritten += text[i++];
      }
    } else {
      if (c == '"') in_string = true;
      rewritten += c;
      ++i;
    }
  }
  size_t seen = 0, next = 0;
  auto restore = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::value && parsed.is_number()) {
      if (next < nonfinite.size() && nonfinite[next].first == seen)
        parsed = nonfinite[next++].second;
      ++seen;
    }
    return true;
  };
  try {
    *out = nlohmann::json::parse(rewritten, restore);
  } catch (const nlohmann::json::exception& e) {
    *reason = jsonErrorReason(e);
    return false;
  }
  return true;
}

// --- Python formatting ------------------------------------------------------------------------

// json.dumps() of a float: repr, except for the non-finite values.
std::string pythonJsonFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return pythonFloatRepr(value);
}

// json.dumps(value) with the default separators and ensure_ascii=True (as pydantic 1's json()).
void dumpPythonJson(const ordered_json& value, std::string* out) {
  switch (value.type()) {
    case ordered_json::value_t::null:
      *out += "null";
      return;
    case ordered_json::value_t::boolean:
      *out += value.get<bool>() ? "true" : "false";
      return;
    case ordered_json::value_t::number_integer:
      *out += std::to_string(value.get<std::int64_t>());
      return;
    case ordered_json::value_t::number_unsigned:
      *out += std::to_string(value.get<std::uint64_t>());
      return;
    case ordered_json::value_t::number_float:
      *out += pythonJsonFloat(value.get<double>());
      return;
    case ordered_json::value_t::string:
      // nlohmann escapes like Python with ensure_ascii: \" \\ \b \f \n \r \t, \u00XX for other
      // control characters and DEL, \uXXXX (surrogate pairs beyond the BMP) for non-ASCII.
      *out += value.dump(-1, ' ', /*ensure_ascii=*/true, ordered_json::error_handler_t::replace);
      return;
    case ordered_json::value_t::array: {
      *out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) *out += ", ";
        first = false;
        dumpPythonJson(item, out);
      }
      *out += ']';
      return;
    }
    case ordered_json::value_t::object: {
      *out += '{';
      bool first = true;
      for (const auto& item : value.items()) {
        if (!first) *out += ", ";
        first = false;
        dumpPythonJson(ordered_json(item.key()), out);
        *out += ": ";
        dumpPythonJson(item.value(), out);
      }
      *out += '}';
      return;
    }
    case ordered_json::value_t::binary:
    case ordered_json::value_t::discarded:
      *out += "null";
      return;
  }
}

std::string pythonJson(const ordered_json& value) {
  std::string out;
  dumpPythonJson(value, &out);
  return out;
}

ordered_json stateToJsonValue(const CompilerEnvState& state) {
  ordered_json json = ordered_json::object();
  json["benchmark"] = state.benchmark;
  json["commandline"] = state.commandline;
  json["walltime"] = state.walltime;
  json["reward"] = state.reward ? ordered_json(*state.reward) : ordered_json(nullptr);
  return json;
}

// Python's repr() of a str (UTF-8 bytes of 0x80 and above are passed through).
std::string pythonStrRepr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == quote || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

std::string pythonListRepr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += pythonStrRepr(items[i]);
  }
  out += ']';
  return out;
}

// CompilerGym's truncate(s) for a single line: at most 60 characters (code points), else the
// first 57 followed by "...".
std::string truncateLine(const std::string& s) {
  constexpr size_t kMaxLen = 60;
  size_t chars = 0;
  size_t cut = std::string::npos;  // byte offset of the 58th character
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == kMaxLen - 3) cut = i;
    ++chars;
  }
  if (chars <= kMaxLen) return s;
  return s.substr(0, cut) + "...";
}

// --- Python float() ---------------------------------------------------------------------------

std::string asciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Parses a run of digits with single underscores between digits, appending the digits to
// *digits. Returns the position after the run, or npos if the run is malformed. May be empty.
size_t parseDigitPart(const std::string& s, size_t pos, std::string* digits) {
  while (pos < s.size()) {
    if (isDigit(s[pos])) {
      *digits += s[pos++];
    } else if (s[pos] == '_' && !digits->empty() && isDigit(s[pos - 1]) && pos + 1 < s.size() &&
               isDigit(s[pos + 1])) {
      ++pos;
    } else {
      break;
    }
  }
  return pos;
}

// Python's float(str): surrounding whitespace, a sign, "inf"/"infinity"/"nan" in any case, or
// a decimal literal with optional exponent and underscores between digits. Overflow gives
// +-inf and underflow +-0 as in Python.
bool parsePythonFloat(const std::string& text, double* out) {
  constexpr const char* kSpace = " \t\n\r\f\v";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return false;
  const size_t end = text.find_last_not_of(kSpace) + 1;
  std::string s = text.substr(begin, end - begin);

  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  const std::string lower = asciiLower(s);
  if (lower == "inf" || lower == "infinity") {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (lower == "nan") {
    *out = negative ? -std::nan("") : std::nan("");
    return true;
  }

  // Decimal literal: digitpart ["." [digitpart]] | "." digitpart, then [e [sign] digitpart].
  std::string int_digits, frac_digits, exp_digits;
  size_t pos = parseDigitPart(s, 0, &int_digits);
  if (pos < s.size() && s[pos] == '.') {
    pos = parseDigitPart(s, pos + 1, &frac_digits);
    // An underscore may not follow the point directly.
    if (pos < s.size() && s[pos] == '_') return false;
  }
  if (int_digits.empty() && frac_digits.empty()) return false;
  bool exp_negative = false;
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) exp_negative = s[pos++] == '-';
    pos = parseDigitPart(s, pos, &exp_digits);
    if (exp_digits.empty()) return false;
  }
  if (pos != s.size()) return false;

  std::string normalized = int_digits + "." + frac_digits;
  if (!exp_digits.empty()) normalized += (exp_negative ? "e-" : "e") + exp_digits;
  double value = 0;
  const auto result =
      std::from_chars(normalized.data(), normalized.data() + normalized.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    // Work out the decimal magnitude of the first significant digit to tell overflow from
    // underflow (the literal is not zero, else it would not be out of range).
    long long exponent = 0;
    for (char c : exp_digits) {
      exponent = std::min<long long>(exponent * 10 + (c - '0'), 1LL << 40);
    }
    if (exp_negative) exponent = -exponent;
    const size_t first_int = int_digits.find_first_not_of('0');
    long long magnitude;
    if (first_int != std::string::npos) {
      magnitude = static_cast<long long>(int_digits.size() - first_int) + exponent;
    } else {
      const size_t first_frac = frac_digits.find_first_not_of('0');
      magnitude = -static_cast<long long>(first_frac) + exponent;
    }
    value = magnitude > 0 ? HUGE_VAL : 0.0;
  } else if (result.ec != std::errc() || result.ptr != normalized.data() + normalized.size()) {
    return false;
  }
  *out = negative ? -value : value;
  return true;
}

// --- CSV --------------------------------------------------------------------------------------

// Python csv's QUOTE_MINIMAL, plus '\r' and a leading U+FEFF (see the header): unquoted at the
// start of a file, its bytes would read as a UTF-8 byte order mark and be dropped.
void writeCsvField(const std::string& field, std::string* out) {
  if (field.find_first_of(",\"\n\r") == std::string::npos &&
      field.compare(0, 3, "\xEF\xBB\xBF") != 0) {
    *out += field;
    return;
  }
  *out += '"';
  for (char c : field) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

struct CsvRow {
  std::vector<std::string> fields;
  int line;  // the line on which the row starts, from 1
};

// Parses CSV text as Python's csv.reader (default dialect) would with newline='': "\r\n" and
// "\r" end a line as "\n" does, but inside a quoted field they are kept as they are (so that a
// field with a '\r' survives the writer's quoting). Blank lines are skipped.
Status parseCsv(const std::string& raw, std::vector<CsvRow>* rows) {
  size_t start = 0;
  if (raw.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;  // UTF-8 byte order mark

  enum class State { kStartRecord, kStartField, kInField, kInQuotedField, kQuoteInQuotedField };
  State state = State::kStartRecord;
  int line = 1;
  int quote_line = 0;
  CsvRow row;
  std::string field;
  auto saveField = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto endRecord = [&] {
    saveField();
    rows->push_back(std::move(row));
    row = CsvRow();
    state = State::kStartRecord;
  };

  for (size_t i = start; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r' && state != State::kInQuotedField) {
      c = '\n';
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    }
    if (state == State::kStartRecord) {
      if (c == '\n') {  // a blank line
        ++line;
        continue;
      }
      row.line = line;
      state = State::kStartField;
    }
    switch (state) {
      case State::kStartRecord:  // handled above
      case State::kStartField:
        if (c == '"') {
          state = State::kInQuotedField;
          quote_line = line;
        } else if (c == ',') {
          saveField();
        } else if (c == '\n') {
          endRecord();
          ++line;
        } else {
          field += c;
          state = State::kInField;
        }
        break;
      case State::kInField:
        if (c == ',') {
          saveField();
          state = State::kStartField;
        } else if (c == '\n') {
          endRecord();
          ++line;
        } else {
          field += c;
        }
        break;
      case State::kInQuotedField:
        if (c == '"') {
          state = State::kQuoteInQuotedField;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
        break;
      case State::kQuoteInQuotedField:
        if (c == '"') {  // a doubled quote
          field += c;
          state = State::kInQuotedField;
        } else if (c == ',') {
          saveField();
          state = State::kStartField;
        } else if (c == '\n') {
          endRecord();
          ++line;
        } else {  // text after the closing quote is kept, as Python does
          field += c;
          state = State::kInField;
        }
        break;
    }
  }
  switch (state) {
    case State::kStartRecord:
      break;
    case State::kInQuotedField:
      return invalidArgument("Unterminated quoted field in CSV starting at line " +
                             std::to_string(quote_line));
    default:
      endRecord();
  }
  return Status::OK();
}

std::string rowLocation(const CsvRow& row) {
  return "line " + std::to_string(row.line) + " of CSV";
}

Status parseStates(const std::string& text, std::vector<CompilerEnvState>* out) {
  std::vector<CsvRow> rows;
  CGYM_RETURN_IF_ERROR(parseCsv(text, &rows));
  if (rows.empty()) return Status::OK();

  const std::vector<std::string>& first = rows.front().fields;
  if (first.size() != kColumns.size()) {
    return invalidArgument("Expected 4 columns in the first row of CSV: " +
                           truncateLine(pythonListRepr(first)));
  }

  // A header names each column once, in any order and case.
  std::array<size_t, 4> order = {0, 1, 2, 3};
  size_t first_data_row = 0;
  std::vector<std::string> maybe_header;
  for (const auto& name : first) maybe_header.push_back(asciiLower(name));
  bool is_header = true;
  for (size_t i = 0; i < kColumns.size() && is_header; ++i) {
    auto it = std::find(maybe_header.begin(), maybe_header.end(), kColumns[i]);
    if (it == maybe_header.end()) {
      is_header = false;
    } else {
      order[i] = static_cast<size_t>(it - maybe_header.begin());
    }
  }
  if (is_header) {
    first_data_row = 1;
  } else {
    order = {0, 1, 2, 3};
  }

  for (size_t r = first_data_row; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.fields.size() != kColumns.size()) {
      return invalidArgument("Expected 4 columns in " + rowLocation(row) + ": " +
                             truncateLine(pythonListRepr(row.fields)));
    }
    const std::string& benchmark = row.fields[order[0]];
    const std::string& reward_text = row.fields[order[1]];
    const std::string& walltime_text = row.fields[order[2]];
    const std::string& commandline = row.fields[order[3]];

    std::optional<double> reward;
    if (!reward_text.empty()) {
      double value;
      if (!parsePythonFloat(reward_text, &value)) {
        return invalidArgument(
            "Invalid reward in " + rowLocation(row) +
            ": could not convert string to float: " + pythonStrRepr(reward_text));
      }
      reward = value;
    }
    double walltime = 0;
    if (!walltime_text.empty() && !parsePythonFloat(walltime_text, &walltime)) {
      return invalidArgument(
          "Invalid walltime in " + rowLocation(row) +
          ": could not convert string to float: " + pythonStrRepr(walltime_text));
    }
    CompilerEnvState state;
    Status status = CompilerEnvState::make(benchmark, commandline, walltime, reward, &state);
    if (!status.ok()) {
      return invalidArgument("Invalid state in " + rowLocation(row) + ": " + status.message());
    }
    out->push_back(std::move(state));
  }
  return Status::OK();
}

Status readAll(std::istream& in, std::string* text) {
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return Status(StatusCode::kDataLoss, "Failed to read CSV input");
  return Status::OK();
}

Status withPrefix(const std::string& prefix, Status status) {
  if (status.ok()) return status;
  return Status(status.code(), prefix + ": " + status.message());
}

// The URLs CompilerGym fetches: re.match(r"^(http|https)://[a-zA-Z0-9.-_/]+(\.csv)$", path).
// Note that ".-_" in that character class is the range '.' .. '_'.
bool isFetchableUrl(const std::string& path) {
  std::string rest;
  if (path.rfind("http://", 0) == 0) {
    rest = path.substr(7);
  } else if (path.rfind("https://", 0) == 0) {
    rest = path.substr(8);
  } else {
    return false;
  }
  if (rest.size() < 5 || rest.compare(rest.size() - 4, 4, ".csv") != 0) return false;
  return std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '.' && c <= '_') || c == '/';
  });
}

Status readFile(const std::string& path, std::string* text) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Status(StatusCode::kNotFound, "No such file or directory: '" + path + "'");
    }
    if (error == EACCES) {
      return Status(StatusCode::kPermissionDenied, "Permission denied: '" + path + "'");
    }
    return Status(StatusCode::kUnknown, "Cannot read '" + path + "': " + std::strerror(error));
  }
  if (S_ISDIR(info.st_mode)) {
    return invalidArgument("Is a directory: '" + path + "'");
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    const int error = errno;
    if (error == EACCES) {
      return Status(StatusCode::kPermissionDenied, "Permission denied: '" + path + "'");
    }
    if (error == ENOENT) {
      return Status(StatusCode::kNotFound, "No such file or directory: '" + path + "'");
    }
    return Status(StatusCode::kUnknown, "Cannot open '" + path + "': " + std::strerror(error));
  }
  text->clear();
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text->append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status(StatusCode::kDataLoss, "Failed to read '" + path + "'");
  return Status::OK();
}

// CompilerEnvState::fromJson() of a parsed value.
Status stateFromJsonValue(const nlohmann::json& value, CompilerEnvState* out) {
  if (!value.is_object()) {
    return invalidArgument(std::string("CompilerEnvState JSON must be an object, not ") +
                           value.type_name());
  }
  auto field = [&](const char* name, const nlohmann::json** result) -> Status {
    auto it = value.find(name);
    if (it == value.end()) {
      return invalidArgument(std::string("CompilerEnvState JSON is missing required field '") +
                             name + "'");
    }
    *result = &*it;
    return Status::OK();
  };
  auto wrongType = [](const char* name, const char* expected, const nlohmann::json& v) {
    return invalidArgument(std::string("Field '") + name + "' of CompilerEnvState JSON must be " +
                           expected + ", not " + v.type_name());
  };

  const nlohmann::json* benchmark;
  const nlohmann::json* commandline;
  const nlohmann::json* walltime;
  CGYM_RETURN_IF_ERROR(field("benchmark", &benchmark));
  if (!benchmark->is_string()) return wrongType("benchmark", "a string", *benchmark);
  CGYM_RETURN_IF_ERROR(field("commandline", &commandline));
  if (!commandline->is_string()) return wrongType("commandline", "a string", *commandline);
  CGYM_RETURN_IF_ERROR(field("walltime", &walltime));
  if (!walltime->is_number()) return wrongType("walltime", "a number", *walltime);
  std::optional<double> reward;
  auto it = value.find("reward");
  if (it != value.end() && !it->is_null()) {
    if (!it->is_number()) return wrongType("reward", "a number or null", *it);
    reward = it->get<double>();
  }
  return CompilerEnvState::make(benchmark->get<std::string>(), commandline->get<std::string>(),
                                walltime->get<double>(), reward, out);
}

}  // namespace

// --- CompilerEnvState -------------------------------------------------------------------------

Status CompilerEnvState::make(std::string benchmark, std::string commandline, double walltime,
                              std::optional<double> reward, CompilerEnvState* out) {
  CompilerEnvState state;
  state.benchmark = std::move(benchmark);
  state.commandline = std::move(commandline);
  state.walltime = walltime;
  state.reward = reward;
  CGYM_RETURN_IF_ERROR(state.validate());
  *out = std::move(state);
  return Status::OK();
}

Status CompilerEnvState::validate() const {
  if (benchmark.empty()) return invalidArgument("Benchmark cannot be empty");
  if (!(walltime >= 0)) return invalidArgument("Walltime cannot be negative");
  return Status::OK();
}

std::string CompilerEnvState::toJson() const { return pythonJson(stateToJsonValue(*this)); }

Status CompilerEnvState::fromJson(const std::string& json, CompilerEnvState* out) {
  try {
    nlohmann::json value;
    std::string reason;
    if (!parsePythonJson(json, &value, &reason)) {
      return invalidArgument("Invalid CompilerEnvState JSON: " + reason);
    }
    return stateFromJsonValue(value, out);
  } catch (const std::exception& e) {
    return invalidArgument(std::string("Invalid CompilerEnvState JSON: ") + e.what());
  }
}

bool operator==(const CompilerEnvState& a, const CompilerEnvState& b) {
  constexpr double kEpsilon = 1e-5;
  const bool reward_equal = !(a.reward && b.reward) || std::abs(*a.reward - *b.reward) < kEpsilon;
  return a.benchmark == b.benchmark && reward_equal && a.commandline == b.commandline;
}

bool operator!=(const CompilerEnvState& a, const CompilerEnvState& b) { return !(a == b); }

std::string pythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";

  // Shortest round-trip digits, e.g. "-1.2345e+17", "5e-324", "0e+00".
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string scientific(buffer, result.ptr);
  const bool negative = scientific[0] == '-';
  if (negative) scientific.erase(0, 1);
  const size_t e = scientific.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (scientific[i] != '.') digits += scientific[i];
  }
  const int exponent = std::atoi(scientific.c_str() + e + 1);
  const int point = exponent + 1;  // value = 0.<digits> * 10^point

  std::string out;
  if (point <= -4 || point > 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_text[16];
    std::snprintf(exp_text, sizeof(exp_text), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    out += exp_text;
  } else if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." +
          digits.substr(static_cast<size_t>(point));
  }
  return negative ? "-" + out : out;
}

// --- CSV --------------------------------------------------------------------------------------

CompilerEnvStateWriter::CompilerEnvStateWriter(std::ostream& out, bool header)
    : out_(out), header_(header) {}

void CompilerEnvStateWriter::writeState(const CompilerEnvState& state, bool flush) {
  std::string text;
  if (header_) {
    text += "benchmark,reward,walltime,commandline\n";
    header_ = false;
  }
  writeCsvField(state.benchmark, &text);
  text += ',';
  if (state.reward) text += pythonFloatRepr(*state.reward);
  text += ',';
  text += pythonFloatRepr(state.walltime);
  text += ',';
  writeCsvField(state.commandline, &text);
  text += '\n';
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (flush) out_.flush();
}

Status readStates(std::istream& in, std::vector<CompilerEnvState>* out) {
  try {
    std::string text;
    CGYM_RETURN_IF_ERROR(readAll(in, &text));
    return parseStates(text, out);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("Failed to read states: ") + e.what());
  }
}

Status readStatePaths(const std::vector<std::string>& paths, std::vector<CompilerEnvState>* out) {
  return readStatePaths(paths, out, std::cin);
}

Status readStatePaths(const std::vector<std::string>& paths, std::vector<CompilerEnvState>* out,
                      std::istream& stdin_stream) {
  try {
    for (const std::string& path : paths) {
      std::string text;
      if (path == "-") {
        CGYM_RETURN_IF_ERROR(withPrefix("<stdin>", readAll(stdin_stream, &text)));
        CGYM_RETURN_IF_ERROR(withPrefix("<stdin>", parseStates(text, out)));
        continue;
      }
      if (isFetchableUrl(path)) {
        return Status(StatusCode::kUnimplemented,
                      "Cannot read states from " + path +
                          ": fetching states from URLs is not supported; download the file "
                          "first and pass its path");
      }
      CGYM_RETURN_IF_ERROR(readFile(path, &text));
      CGYM_RETURN_IF_ERROR(withPrefix(path, parseStates(text, out)));
    }
    return Status::OK();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("Failed to read states: ") + e.what());
  }
}

// --- ValidationResult -------------------------------------------------------------------------

bool operator==(const ValidationError& a, const ValidationError& b) {
  return a.type == b.type && a.data == b.data;
}

bool operator!=(const ValidationError& a, const ValidationError& b) { return !(a == b); }

bool ValidationResult::okay() const {
  return !(actions_replay_failed || reward_validation_failed ||
           benchmark_semantics_validation_failed);
}

std::string ValidationResult::errorDetails() const {
  if (errors.empty()) return "";
  // Counts by type, in order of first appearance, then stably by decreasing count (as
  // sorted(Counter(...).items(), key=lambda x: -x[1])).
  std::vector<std::pair<std::string, size_t>> freq;
  for (const auto& error : errors) {
    auto it = std::find_if(freq.begin(), freq.end(),
                           [&](const auto& item) { return item.first == error.type; });
    if (it == freq.end()) {
      freq.emplace_back(error.type, 1);
    } else {
      ++it->second;
    }
  }
  std::stable_sort(freq.begin(), freq.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });

  const std::string times = "\xC3\x97";  // ×
  if (freq.size() == 1) {
    if (errors.size() == 1) return errors.front().type;
    return std::to_string(errors.size()) + times + " " + errors.front().type;
  }
  std::string out;
  const size_t kinds = freq.size();
  for (size_t j = 1; j <= kinds; ++j) {
    const auto& [message, count] = freq[j - 1];
    if (j > 1) out += ", ";
    out += "[" + std::to_string(j) + "/" + std::to_string(kinds) + "] ";
    if (count > 1) out += std::to_string(count) + times + " ";
    out += message;
    const size_t remaining = kinds - j;
    if (j >= 3 && remaining > 3) {
      out += ", ... (" + std::to_string(remaining) + " more " +
             (remaining == 1 ? "error" : "errors") + ")";
      break;
    }
  }
  return out;
}

std::string ValidationResult::toJson() const {
  ordered_json json = ordered_json::object();
  json["state"] = stateToJsonValue(state);
  json["walltime"] = walltime;
  json["reward_validated"] = reward_validated;
  json["actions_replay_failed"] = actions_replay_failed;
  json["reward_validation_failed"] = reward_validation_failed;
  json["benchmark_semantics_validated"] = benchmark_semantics_validated;
  json["benchmark_semantics_validation_failed"] = benchmark_semantics_validation_failed;
  ordered_json error_list = ordered_json::array();
  for (const auto& error : errors) {
    ordered_json item = ordered_json::object();
    item["type"] = error.type;
    if (error.data.empty()) {
      item["data"] = ordered_json::object();
    } else {
      ordered_json data = ordered_json::parse(error.data, nullptr, /*allow_exceptions=*/false);
      item["data"] = data.is_discarded() ? ordered_json(error.data) : std::move(data);
    }
    error_list.push_back(std::move(item));
  }
  json["errors"] = std::move(error_list);
  return pythonJson(json);
}

bool operator==(const ValidationResult& a, const ValidationResult& b) {
  auto sorted = [](const std::vector<ValidationError>& errors) {
    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& error : errors) items.emplace_back(error.type, error.data);
    std::sort(items.begin(), items.end());
    return items;
  };
  return a.state == b.state && a.reward_validated == b.reward_validated &&
         a.actions_replay_failed == b.actions_replay_failed &&
         a.reward_validation_failed == b.reward_validation_failed &&
         a.benchmark_semantics_validated == b.benchmark_semantics_validated &&
         a.benchmark_semantics_validation_failed == b.benchmark_semantics_validation_failed &&
         sorted(a.errors) == sorted(b.errors);
}

bool operator!=(const ValidationResult& a, const ValidationResult& b) { return !(a == b); }

Status statesFromJsonArray(const std::string& json, std::vector<CompilerEnvState>* out) {
  try {
    nlohmann::json parsed;
    std::string reason;
    if (!parsePythonJson(json, &parsed, &reason)) {
      return invalidArgument("Expected a JSON array of states: " + reason);
    }
    if (!parsed.is_array()) {
      return invalidArgument(std::string("Expected a JSON array of states, not ") +
                             parsed.type_name());
    }
    std::vector<CompilerEnvState> states;
    for (const auto& item : parsed) {
      CompilerEnvState state;
      CGYM_RETURN_IF_ERROR(stateFromJsonValue(item, &state));
      states.push_back(std::move(state));
    }
    *out = std::move(states);
    return Status::OK();
  } catch (const std::exception& e) {
    return invalidArgument(std::string("Invalid states JSON: ") + e.what());
  }
}

}  // namespace cgym::client
