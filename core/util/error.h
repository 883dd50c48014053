#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace stemship {

// A problem at the core boundary: which file, what is wrong, and an issue code where one applies.
struct Error {
    QString file;
    QString what;
    QString code = {};  // CLI-CONTRACT issue code ("unreadable", "truncated", ...) or empty

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
