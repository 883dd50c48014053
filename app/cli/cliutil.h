#pragma once

// Shared plumbing of the CLI commands: exit codes, stderr lines, Ctrl-C, progress, JSON output.

#include "profiles/deliveryprofile.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QByteArray>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace stemship::cli {

// CLI-CONTRACT exit codes.
// 130 (128 + SIGINT) for a job cancelled with Ctrl-C, 143 (128 + SIGTERM) for one terminated, as shells report
// them; nothing partial remains.
enum ExitCode { ExitOk = 0, ExitFindings = 1, ExitUsage = 2, ExitCancelled = 130, ExitTerminated = 143 };

void printError(const QString &line);     // one line on stderr
void printOut(const QString &text);       // stdout, as is
void printInfo(const QString &text);      // human text: stdout, or stderr when stdout carries JSON

// When a command writes JSON to stdout, human text moves to stderr.
void setHumanToStderr(bool toStderr);

// Ctrl-C / SIGTERM set this token; the first signal cancels, a second one removes the job's registered
// temporaries (io/signalcleanup.h) and exits at once.
CancelToken &interruptToken();
void installInterruptHandler();
// The exit code of a job cancelled by a signal: 130 for SIGINT, 143 for SIGTERM.
int interruptExitCode();

// Progress on stderr: a bar when stderr is a terminal, plain lines otherwise; silent when quiet.
class Progress {
public:
    Progress(QString label, bool quiet);
    void update(double fraction, const QString &detail = {});
    void finish();

private:
    QString m_label;
    bool m_quiet = false;
    bool m_tty = false;
    int m_lastPercent = -1;
};

// Parses "stemship COMMAND ARGS...": the exit code when the command is already done (a usage error printed:
// exit 2; --help printed: exit 0), nothing when it should run.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args);

// Writes data to FILE atomically ("-" = stdout). Returns false with an error line printed.
bool writeOutput(const QString &file, const QByteArray &data);

// --profile NAME|FILE for audit and package: the profile, or nothing after one line per problem on stderr
// (CLI-CONTRACT: unknown name, missing file, invalid profile are all exit 2).
std::optional<profiles::DeliveryProfile> loadProfileOrExplain(const QString &nameOrFile);

// One subcommand of a command that has several (`stemship template list`): its name and what runs it.
struct Subcommand {
    const char *name;
    int (*run)(const QStringList &args);
};

// A usage mistake of such a command: "stemship template: WHAT (try 'stemship template --help')"; exit 2.
int subcommandUsageError(const QString &command, const QString &what);

// `stemship template|profile SUBCOMMAND ARGS...`: runs the named subcommand on the rest; prints usage for
// --help, -h or help (also --help after the subcommand); a usage error for a missing or unknown subcommand.
int runSubcommand(const QString &command, const char *usage, const QList<Subcommand> &subcommands, const QStringList &args);

// "--jobs N" default: all cores.
int defaultJobs();

// The arguments of `template list` / `profile list`: nothing, or `--json [FILE]` (FILE defaults to "-").
struct ListArguments {
    bool json = false;
    QString jsonFile = QStringLiteral("-");
    QString unexpected;  // the first argument that is neither; empty when all were understood
};
ListArguments parseListArguments(const QStringList &args);

// One bundled entry of `template list --json` / `profile list --json`: the keys both share (name, title,
// description, path, valid, problem) plus the kind's own.
struct CatalogEntry {
    QString name, title, description, path, problem;
    QJsonObject extra = {};
};

// `COMMAND list [--json [FILE]]`: the names one per line, or with --json the entries (built only then) as
// {"<key>": [...]} to the file or stdout; a usage error for any other argument.
int runCatalogList(const QString &command, const QStringList &args, const QStringList &names, const QString &key,
                   const std::function<QList<CatalogEntry>()> &entries);

}  // namespace stemship::cli
