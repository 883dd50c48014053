#include "cliutil.h"

#include "io/atomicfile.h"
#include "io/signalcleanup.h"
#include "profiles/profilestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace stemship::cli {
namespace {
bool g_humanToStderr = false;
std::atomic<int> g_interrupts{0};
std::atomic<int> g_firstSignal{0};

void onInterrupt(int signalNumber)
{
    // Async-signal-safe: atomics, unlink/rmdir of pre-registered paths and _exit only.
    int none = 0;
    g_firstSignal.compare_exchange_strong(none, signalNumber);
    if (g_interrupts.fetch_add(1) >= 1) {
        // A second signal: exit now, but never past the cleanup (the job's temporaries go with the process).
        io::removeRegisteredPathsFromSignalHandler();
        _exit(128 + g_firstSignal.load());
    }
    interruptToken().cancel();
}

void writeStream(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
}  // namespace

void printError(const QString &line) { writeStream(stderr, oneLine(line) + QLatin1Char('\n')); }
void printOut(const QString &text) { writeStream(stdout, text); }
void printInfo(const QString &text) { writeStream(g_humanToStderr ? stderr : stdout, text); }
void setHumanToStderr(bool toStderr) { g_humanToStderr = toStderr; }

CancelToken &interruptToken()
{
    static CancelToken token;
    return token;
}

int interruptExitCode()
{
    const int signalNumber = g_firstSignal.load();
    return signalNumber == SIGTERM ? ExitTerminated : ExitCancelled;
}

void installInterruptHandler()
{
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    if (!parser.parse(QStringList{command} + args)) {
        printError(command + QStringLiteral(": ") + parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    return std::nullopt;
}

int subcommandUsageError(const QString &command, const QString &what)
{
    printError(command + QStringLiteral(": ") + what + QStringLiteral(" (try '%1 --help')").arg(command));
    return ExitUsage;
}

int runSubcommand(const QString &command, const char *usage, const QList<Subcommand> &subcommands, const QStringList &args)
{
    if (args.isEmpty()) {
        QStringList names;
        for (const Subcommand &s : subcommands)
            names.append(QString::fromLatin1(s.name));
        return subcommandUsageError(command, QStringLiteral("missing subcommand (%1)").arg(names.join(QStringLiteral(", "))));
    }
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub == QLatin1String("help") || rest.contains(QStringLiteral("--help"))) {
        printOut(QString::fromLatin1(usage));
        return ExitOk;
    }
    for (const Subcommand &s : subcommands)
        if (sub == QLatin1String(s.name))
            return s.run(rest);
    return subcommandUsageError(command, QStringLiteral("unknown subcommand '%1'").arg(sub));
}

Progress::Progress(QString label, bool quiet)
    : m_label(std::move(label)), m_quiet(quiet), m_tty(isatty(STDERR_FILENO) == 1)
{
}

void Progress::update(double fraction, const QString &detail)
{
    if (m_quiet)
        return;
    const int percent = std::clamp(int(fraction * 100.0), 0, 100);
    if (percent == m_lastPercent)
        return;
    if (m_tty) {
        const int width = 30;
        const int filled = percent * width / 100;
        const QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
        writeStream(stderr, QStringLiteral("\r%1 [%2] %3% %4\x1b[K").arg(m_label, bar).arg(percent).arg(detail));
    } else if (percent / 10 != m_lastPercent / 10 || percent == 100) {
        writeStream(stderr, QStringLiteral("%1: %2%\n").arg(m_label).arg(percent));
    }
    m_lastPercent = percent;
}

void Progress::finish()
{
    if (!m_quiet && m_tty && m_lastPercent >= 0)
        writeStream(stderr, QStringLiteral("\n"));
}

bool writeOutput(const QString &file, const QByteArray &data)
{
    if (file == QLatin1String("-")) {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    if (Status status = io::writeFileAtomically(file, data); !status) {
        printError(status.error().line());
        return false;
    }
    return true;
}

int defaultJobs() { return std::max(1, QThread::idealThreadCount()); }

std::optional<profiles::DeliveryProfile> loadProfileOrExplain(const QString &nameOrFile)
{
    Result<profiles::DeliveryProfile> profile = profiles::loadProfile(nameOrFile);
    if (profile)
        return std::move(*profile);
    if (profile.error().code == ErrorCode::InvalidProfile) {
        for (const QString &line : profiles::profileProblemLines(nameOrFile))
            printError(line);
    } else {
        printError(profile.error().line());
    }
    return std::nullopt;
}

ListArguments parseListArguments(const QStringList &args)
{
    ListArguments parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] != QLatin1String("--json")) {
            parsed.unexpected = args[i];
            break;
        }
        parsed.json = true;
        if (i + 1 < args.size() && (!args[i + 1].startsWith(QLatin1Char('-')) || args[i + 1] == QLatin1String("-")))
            parsed.jsonFile = args[++i];
    }
    return parsed;
}

int runCatalogList(const QString &command, const QStringList &args, const QStringList &names, const QString &key,
                   const std::function<QList<CatalogEntry>()> &entries)
{
    const ListArguments parsed = parseListArguments(args);
    if (!parsed.unexpected.isEmpty())
        return subcommandUsageError(command, QStringLiteral("list: unexpected argument '%1'").arg(parsed.unexpected));
    if (!parsed.json) {
        for (const QString &name : names)
            printOut(name + QLatin1Char('\n'));
        return ExitOk;
    }
    QJsonArray items;
    for (const CatalogEntry &e : entries()) {
        QJsonObject o{{QStringLiteral("name"), e.name}, {QStringLiteral("title"), e.title},
                      {QStringLiteral("description"), e.description}, {QStringLiteral("path"), e.path}};
        for (auto it = e.extra.constBegin(); it != e.extra.constEnd(); ++it)
            o.insert(it.key(), it.value());
        o.insert(QStringLiteral("valid"), e.problem.isEmpty());
        o.insert(QStringLiteral("problem"), e.problem.isEmpty() ? QJsonValue() : QJsonValue(e.problem));
        items.append(o);
    }
    const QByteArray out = QJsonDocument(QJsonObject{{key, items}}).toJson(QJsonDocument::Indented);
    return writeOutput(parsed.jsonFile, out) ? ExitOk : ExitUsage;
}

}  // namespace stemship::cli
