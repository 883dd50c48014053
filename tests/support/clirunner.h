#pragma once

// The CLI tests' one way to run the stemship CLI to its end through QProcess and keep what it printed.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace stemship::test {

// A finished run: its exit code (-1 when it crashed or did not end in time) and both output streams.
struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The CLI at cliPath (tests pass STEMSHIP_CLI_PATH), with the arguments every run starts with (e.g. "template").
class CliRunner {
public:
    explicit CliRunner(QString cliPath, QStringList leadingArgs = {}, int timeoutMs = 120000);

    // Without one the child inherits the test's environment as it is when each run starts.
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }

    // childSetup runs in the child between fork and exec (resource limits, signal dispositions).
    CliRun run(const QStringList &args, const std::function<void()> &childSetup = {}) const;

private:
    QString m_cliPath;
    QStringList m_leadingArgs;
    int m_timeoutMs;
    std::optional<QProcessEnvironment> m_environment;
};

// One entry of a zip as Info-ZIP's unzip reads it (an implementation independent of Stemship's reader); empty
// when unzip fails or takes over 30 s.
QByteArray unzipEntry(const QString &zip, const QString &entry);

}  // namespace stemship::test
