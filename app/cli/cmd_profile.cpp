#include "cliutil.h"
#include "commands.h"

#include "profiles/profileparser.h"
#include "profiles/profilestore.h"
#include "templates/templatestore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace stemship::cli {
namespace {
using namespace stemship::profiles;

const char *kProfileUsage =
    "Usage: stemship profile list [--json [FILE]]\n"
    "       stemship profile show NAME|FILE\n"
    "       stemship profile validate FILE\n"
    "\n"
    "Bundled delivery profiles live in $STEMSHIP_DATA_DIR/profiles, else <bin>/../share/stemship/profiles.\n"
    "validate exits 0 when valid, 1 with one line per mistake (FILE: where: what), 2 when FILE does not exist.\n";

int usageError(const QString &what) { return subcommandUsageError(QStringLiteral("stemship profile"), what); }

int runList(const QStringList &args)
{
    return runCatalogList(QStringLiteral("stemship profile"), args, listProfiles(), QStringLiteral("profiles"), [] {
        QList<CatalogEntry> entries;
        for (const ProfileInfo &info : bundledProfiles())
            entries.append(CatalogEntry{info.name, info.title, info.description, info.path, info.problem});
        return entries;
    });
}

// Prints every problem of NAME|FILE; returns the exit code: 2 when it cannot be found, 1 when it is invalid.
int reportProblems(const QString &nameOrFile)
{
    const Result<QString> path = resolveProfile(nameOrFile);
    for (const QString &line : profileProblemLines(nameOrFile))
        printError(line);
    return path ? ExitFindings : ExitUsage;
}

int runShow(const QStringList &args)
{
    if (args.size() != 1 || args[0].startsWith(QLatin1String("--")))
        return usageError(QStringLiteral("show needs exactly one NAME or FILE"));
    const Result<DeliveryProfile> profile = loadProfile(args[0]);
    if (!profile)
        return reportProblems(args[0]);
    // The file as written (key order, description), now known to be valid.
    const Result<QByteArray> bytes = templates::readTemplateFile(*resolveProfile(args[0]));
    if (!bytes) {
        printError(bytes.error().line());
        return ExitFindings;
    }
    printOut(QString::fromUtf8(*bytes));
    return ExitOk;
}

int runValidate(const QStringList &args)
{
    if (args.size() != 1 || args[0].startsWith(QLatin1String("--")))
        return usageError(QStringLiteral("validate needs exactly one FILE"));
    const Result<QString> path = resolveProfile(args[0]);
    if (!path) {
        printError(args[0] + QStringLiteral(": no such file"));
        return ExitUsage;
    }
    const QStringList problems = profileProblemLines(args[0]);
    for (const QString &line : problems)
        printError(line);
    if (!problems.isEmpty())
        return ExitFindings;
    const Result<DeliveryProfile> profile = loadProfile(args[0]);
    printInfo(QStringLiteral("%1: valid (%2)\n").arg(args[0], profile ? profile->title : QString()));
    return ExitOk;
}

}  // namespace

int runProfile(const QStringList &args)
{
    return runSubcommand(QStringLiteral("stemship profile"), kProfileUsage,
                         {{"list", runList}, {"show", runShow}, {"validate", runValidate}}, args);
}

}  // namespace stemship::cli
