#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace stemship {

// Control characters (a newline in a hostile file name, an escape sequence) shown as visible escapes, so one
// problem stays one line on a terminal or in a log.
inline QString oneLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f || (c.unicode() >= 0x80 && c.unicode() < 0xa0))
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// What kind of problem an Error is: the cases callers branch on (cancelled, usage) and the CLI-CONTRACT issue
// codes an error carries into a report. One enum, so a misspelt code is a compile error, not a silent mismatch.
enum class ErrorCode : unsigned char {
    None,               // a problem without an issue code of its own
    Cancelled,          // the user (or a signal) stopped the job
    Usage,              // the command line or the request was wrong (CLI exit 2)
    NotFound,
    Unreadable,
    Unwritable,
    UnsupportedFormat,
    NonFinite,
    CorruptSamples,
    UnsafeArchive,
    Hostile,            // a zip entry refused by the reader's hardening
    InvalidTemplate,
    InvalidProfile,
    NullFailed,
    ProfileViolation,
    Internal,
};

// The contract's spelling ("unsupported_format"); empty for None.
QString errorCodeName(ErrorCode code);

// A problem at the core boundary: which file, what is wrong, and its kind.
struct Error {
    QString file;
    QString what;
    ErrorCode code = ErrorCode::None;

    static Error cancelled(const QString &file) { return Error{file, QStringLiteral("cancelled"), ErrorCode::Cancelled}; }

    bool is(ErrorCode c) const { return code == c; }
    QString codeName() const { return errorCodeName(code); }
    QString line() const { return file.isEmpty() ? what : file + QStringLiteral(": ") + what; }
};

// A value or an Error; a small stand-in for std::expected (C++23).
template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<T>(m_state); }
    const T &value() const { return std::get<T>(m_state); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result for operations that produce nothing but may fail.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)), m_failed(true) {}
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace stemship
