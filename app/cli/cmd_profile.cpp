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

int usageError(const QString &what)
{
    printError(QStringLiteral("stemship profile: ") + what + QStringLiteral(" (try 'stemship profile --help')"));
    return ExitUsage;
}

int runList(const QStringList &args)
{
    const ListArguments parsed = parseListArguments(args);
    if (!parsed.unexpected.isEmpty())
        return usageError(QStringLiteral("list: unexpected argument '%1'").arg(parsed.unexpected));
    QList<CatalogEntry> entries;
    if (parsed.json)
        for (const ProfileInfo &info : bundledProfiles())
            entries.append(CatalogEntry{info.name, info.title, info.description, info.path, info.problem});
    return printCatalog(parsed, listProfiles(), QStringLiteral("profiles"), entries);
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
    if (args.isEmpty())
        return usageError(QStringLiteral("missing subcommand (list, show, validate)"));
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub == QLatin1String("help") || rest.contains(QStringLiteral("--help"))) {
        printOut(QString::fromLatin1(kProfileUsage));
        return ExitOk;
    }
    if (sub == QLatin1String("list"))
        return runList(rest);
    if (sub == QLatin1String("show"))
        return runShow(rest);
    if (sub == QLatin1String("validate"))
        return runValidate(rest);
    return usageError(QStringLiteral("unknown subcommand '%1'").arg(sub));
}

}  // namespace stemship::cli
