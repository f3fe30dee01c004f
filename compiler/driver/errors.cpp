// boc::Error and the conversions into it (see errors.hpp).
#include "compiler/driver/errors.hpp"

#include "runtime/error.hpp"

namespace boc {

Error::Error(Kind kind, std::string message, std::string file, uint32_t line, uint32_t column,
             std::string report)
    : kind_(kind),
      message_(std::move(message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      report_(std::move(report)) {}

Error::Error(Kind kind, std::string message)
    : kind_(kind), message_(message), line_(0), column_(0), report_(std::move(message)) {}

namespace driver {

Error compile_error(const Diagnostic& d, std::string_view source) {
  return Error(Error::Kind::Compile, d.message, d.file, d.loc.line, d.loc.col,
               format_diagnostic(d, source));
}

Error internal_error(const std::string& file, std::string text) {
  text = "internal error: " + text;
  return Error(Error::Kind::Compile, text, file, 0, 0, file + ": " + text + "\n");
}

Error runtime_error(rt::Value error_move) {
  std::string report = rt::format_runtime_error(error_move);
  std::string message, file;
  uint32_t line = 0, col = 0;
  if (error_move.tag == rt::Tag::Error) {
    const rt::Error* e = rt::as_error(error_move);
    message = e->message;
    file = e->file;
    line = e->line;
    col = e->col;
  }
  rt::release(error_move);
  return Error(Error::Kind::Runtime, message, file, line, col, report);
}

Error usage_error(std::string message) { return Error(Error::Kind::Usage, std::move(message)); }

}  // namespace driver
}  // namespace boc
