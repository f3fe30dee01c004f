// json.stringify: Boc values to compact JSON text, without recursion.
//
// Containers are walked with an explicit stack of (container, position)
// frames. The value is borrowed and immutable while we walk it (no script
// code runs meanwhile, and a container shared with another thread is never
// mutated in place: copy-on-write), so frames hold plain pointers.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/format.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"
#include "stdlib/json/json.hpp"
#include "stdlib/json/utf8.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib::json {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// A list or map being written; `state` is the next list index, or the
// map_next cursor.
struct Frame {
  Value container;
  int64_t state = 0;
  bool first = true;
};

class Writer {
 public:
  explicit Writer(Ctx* ctx) : ctx_(ctx) {}
  Value run(Value root);

 private:
  bool write_value(Value v);
  bool write_string(std::string_view s);
  bool write_key(Value key);
  bool fail(std::string what) {
    rt::raise(ctx_, "json.stringify: " + what);
    return false;
  }
  bool check_size() {
    if (out_.size() <= kMaxBuiltStringBytes) return true;
    return fail("result is longer than " + std::to_string(kMaxBuiltStringBytes) + " bytes");
  }

  Ctx* ctx_;
  std::string out_;
  std::vector<Frame> stack_;
};

Value Writer::run(Value root) {
  if (!write_value(root)) return Value::exc();
  while (!stack_.empty()) {
    // Checked once per element: a long list of numbers grows the text too.
    if (!check_size()) return Value::exc();
    Frame& top = stack_.back();
    if (top.container.tag == Tag::List) {
      const auto& items = rt::as_list(top.container)->items;
      if (static_cast<size_t>(top.state) == items.size()) {
        out_ += ']';
        stack_.pop_back();
        continue;
      }
      if (top.state > 0) out_ += ',';
      Value item = items[static_cast<size_t>(top.state++)];
      // write_value may push a frame, invalidating `top`: nothing uses it after.
      if (!write_value(item)) return Value::exc();
    } else {
      const rt::MapEntry* entry = rt::map_next(rt::as_map(top.container), &top.state);
      if (entry == nullptr) {
        out_ += '}';
        stack_.pop_back();
        continue;
      }
      if (!top.first) out_ += ',';
      top.first = false;
      if (!write_key(entry->key)) return Value::exc();
      out_ += ':';
      if (!write_value(entry->value)) return Value::exc();
    }
  }
  return rt::make_string(out_);
}

// Writes a scalar, or opens a container (its elements follow from run).
bool Writer::write_value(Value v) {
  switch (v.tag) {
    case Tag::Nil:
      out_ += "null";
      return true;
    case Tag::Bool:
      out_ += v.as_bool() ? "true" : "false";
      return true;
    case Tag::Int:
      out_ += std::to_string(v.as_int());
      return true;
    case Tag::Float:
      if (!std::isfinite(v.as_float()))
        return fail("cannot encode " + rt::to_display(v) + " (JSON has no nan or inf)");
      // print's form: shortest round trip, always with '.' or an exponent, so
      // 2.0 reads back as a float. Every such form is a valid JSON number.
      rt::format_float(out_, v.as_float());
      return true;
    case Tag::String:
      return write_string(rt::string_view_of(v));
    case Tag::List:
    case Tag::Map:
      if (stack_.size() >= kMaxDepth)
        return fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
      out_ += v.tag == Tag::List ? '[' : '{';
      stack_.push_back({v});
      return true;
    default:
      return fail(std::string("cannot encode ") + rt::type_name(v));
  }
}

// JSON object names are strings: other key types are written as str() shows
// them, quoted ({1: "a"} -> {"1":"a"}).
bool Writer::write_key(Value key) {
  if (key.tag == Tag::String) return write_string(rt::string_view_of(key));
  return write_string(rt::to_display(key));
}

// A JSON string: '"' and '\' escaped, control characters as their short
// escape or \u00XX, everything else (UTF-8 included) as it is.
bool Writer::write_string(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) {
      size_t len = utf8_valid_length(s, i);
      if (len == 0) return fail("cannot encode a string that is not valid UTF-8");
      out_.append(s.substr(i, len));
      i += len;
      continue;
    }
    ++i;
    switch (b) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (b < 0x20) {
          out_ += "\\u00";
          out_ += kHex[b >> 4];
          out_ += kHex[b & 15];
        } else {
          out_ += static_cast<char>(b);
        }
    }
  }
  out_ += '"';
  return check_size();
}

}  // namespace

Value stringify(Ctx* ctx, Value v) {
  Writer writer(ctx);
  return writer.run(v);
}

}  // namespace boc::stdlib::json
