#include "clirunner.h"

#include <QProcess>

namespace stemship::test {

CliRunner::CliRunner(QString cliPath, QStringList leadingArgs, int timeoutMs)
    : m_cliPath(std::move(cliPath)), m_leadingArgs(std::move(leadingArgs)), m_timeoutMs(timeoutMs)
{
}

CliRun CliRunner::run(const QStringList &args, const std::function<void()> &childSetup) const
{
    QProcess p;
    if (m_environment)
        p.setProcessEnvironment(*m_environment);
    if (childSetup)
        p.setChildProcessModifier(childSetup);
    p.start(m_cliPath, m_leadingArgs + args);
    // A run that never started or did not end in time is a failure, not the exit code 0 QProcess reports then.
    if (!p.waitForFinished(m_timeoutMs))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

QByteArray unzipEntry(const QString &zip, const QString &entry)
{
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"), {QStringLiteral("-p"), zip, entry});
    return unzip.waitForFinished(30000) ? unzip.readAllStandardOutput() : QByteArray();
}

}  // namespace stemship::test
