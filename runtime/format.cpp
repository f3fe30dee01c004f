// print/str formatting of every value type, and string interpolation.
#include "runtime/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

// Writes a value that is not a list or map.
void format_scalar(std::string& out, Value v, bool quoted) {
  switch (v.tag) {
    case Tag::Nil:
      out += "nil";
      return;
    case Tag::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Tag::Int: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, r.ptr);
      return;
    }
    case Tag::Float:
      format_float(out, v.as_float());
      return;
    case Tag::String:
      if (quoted)
        format_quoted(out, string_view_of(v));
      else
        out += string_view_of(v);
      return;
    case Tag::Function: {
      const char* name = as_function(v)->proto->name;
      out += name && name[0] ? std::string("<fn ") + name + ">" : std::string("<fn>");
      return;
    }
    case Tag::Cown:
      out += "<cown>";
      return;
    case Tag::Error:
      out += error_to_string(as_error(v));
      return;
    default:
      out += "<?>";  // lists and maps never get here; Exc is not a value
      return;
  }
}

void format_impl(std::string& out, Value v, bool quoted) {
  // One frame per open container: its value, the iteration position, and
  // whether an element has been written yet (for the ", " separators).
  struct Frame {
    Value container;
    int64_t pos;
    bool first;
  };
  std::vector<Frame> open;
  auto begin = [&](Value x, bool q) {
    if (x.tag == Tag::List) {
      out += '[';
      open.push_back({x, 0, true});
    } else if (x.tag == Tag::Map) {
      out += '{';
      open.push_back({x, 0, true});
    } else {
      format_scalar(out, x, q);
    }
  };
  begin(v, quoted);
  while (!open.empty()) {
    Frame& f = open.back();
    if (f.container.tag == Tag::List) {
      const List* l = as_list(f.container);
      if (static_cast<size_t>(f.pos) == l->items.size()) {
        out += ']';
        open.pop_back();
        continue;
      }
      if (!f.first) out += ", ";
      f.first = false;
      Value item = l->items[static_cast<size_t>(f.pos++)];
      begin(item, true);  // may push: `f` is not used after this
    } else {
      const MapEntry* e = map_next(as_map(f.container), &f.pos);
      if (!e) {
        out += '}';
        open.pop_back();
        continue;
      }
      if (!f.first) out += ", ";
      f.first = false;
      format_scalar(out, e->key, true);  // keys are never containers
      out += ": ";
      begin(e->value, true);
    }
  }
}

}  // namespace

void format_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";  // whatever the sign bit says
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  // Shortest round-trip digits, laid out as Python's repr does: fixed
  // notation for decimal exponents in [-4, 16), else scientific (1e+20,
  // 1.5e-07). Plain "shortest string" would print 100000.0 as 1e+05.
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, sci.ptr - buf);
  size_t e_pos = s.find('e');
  int exponent = 0;
  std::from_chars(s.data() + e_pos + (s[e_pos + 1] == '+' ? 2 : 1), s.data() + s.size(), exponent);
  if (exponent < -4 || exponent >= 16) {
    out += s;
    return;
  }
  auto fixed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  std::string_view f(buf, fixed.ptr - buf);
  out += f;
  if (f.find('.') == std::string_view::npos) out += ".0";
}

void format_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void format_value(std::string& out, Value v) { format_impl(out, v, false); }

void format_repr(std::string& out, Value v) { format_impl(out, v, true); }

std::string to_display(Value v) {
  std::string out;
  format_value(out, v);
  return out;
}

}  // namespace boc::rt

extern "C" Value boc_rt_interp(Ctx*, const Value* parts, uint32_t n) {
  std::string out;
  for (uint32_t i = 0; i < n; ++i) boc::rt::format_value(out, parts[i]);
  return boc::rt::make_string(out);
}
