#include "cliutil.h"
#include "commands.h"

#include "templates/dawprojectexport.h"
#include "templates/dawprojectimport.h"
#include "templates/rppexport.h"
#include "templates/rppimport.h"
#include "templates/templateparser.h"
#include "templates/templatestore.h"
#include "templates/templatewriter.h"
#include "templates/tracksheet.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace stemship::cli {
namespace {
using namespace stemship::templates;

const char *kTemplateUsage =
    "Usage: stemship template list [--json [FILE]]\n"
    "       stemship template show NAME|FILE\n"
    "       stemship template validate FILE\n"
    "       stemship template export NAME|FILE --format dawproject|rpp|csv|html -o OUT\n"
    "       stemship template import FILE.dawproject|FILE.RPP -o OUT.json\n"
    "\n"
    "Bundled templates live in $STEMSHIP_DATA_DIR/templates, else <bin>/../share/stemship/templates.\n"
    "validate exits 0 when valid, 1 with one line per mistake (FILE: where: what), 2 when FILE does not exist.\n";

int usageError(const QString &what) { return subcommandUsageError(QStringLiteral("stemship template"), what); }

// Options of export/import: "--format F", "-o OUT"; the one positional argument goes to *input.
bool parseOptions(const QStringList &args, QString *input, QString *format, QString *output, QString *problem)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if ((a == QLatin1String("--format") || a == QLatin1String("-f")) && format && i + 1 < args.size())
            *format = args[++i];
        else if (a.startsWith(QLatin1String("--format=")) && format)
            *format = a.mid(9);
        else if ((a == QLatin1String("-o") || a == QLatin1String("--output")) && i + 1 < args.size())
            *output = args[++i];
        else if (a.startsWith(QLatin1String("--output=")))
            *output = a.mid(9);
        else if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
            *problem = QStringLiteral("unknown or incomplete option '%1'").arg(a);
            return false;
        } else if (input->isEmpty())
            *input = a;
        else {
            *problem = QStringLiteral("unexpected argument '%1'").arg(a);
            return false;
        }
    }
    return true;
}

// Loads NAME|FILE; prints the problem and returns the exit code on failure.
std::optional<SessionTemplate> load(const QString &nameOrFile, int *exitCode)
{
    Result<SessionTemplate> t = loadTemplate(nameOrFile);
    if (t)
        return std::move(*t);
    if (t.error().code == ErrorCode::InvalidTemplate) {
        // One line per mistake, as validate prints them.
        const Result<QString> path = resolveTemplate(nameOrFile);
        const Result<QByteArray> bytes = path ? readTemplateFile(*path) : Result<QByteArray>(path.error());
        if (bytes) {
            for (const TemplateProblem &p : validateTemplate(*bytes))
                printError(p.message(*path));
        } else {
            printError(t.error().line());
        }
        *exitCode = ExitFindings;
    } else {
        printError(t.error().line());
        *exitCode = t.error().code == ErrorCode::Unreadable ? ExitFindings : ExitUsage;
    }
    return std::nullopt;
}

int runList(const QStringList &args)
{
    return runCatalogList(QStringLiteral("stemship template"), args, listTemplates(), QStringLiteral("templates"), [] {
        QList<CatalogEntry> entries;
        for (const TemplateInfo &info : bundledTemplates())
            entries.append(CatalogEntry{info.name, info.title, info.description, info.path, info.problem,
                                        QJsonObject{{QStringLiteral("tracks"), info.trackCount},
                                                    {QStringLiteral("tempo_bpm"), info.tempoBpm},
                                                    {QStringLiteral("time_signature"), info.timeSignature}}});
        return entries;
    });
}

int runShow(const QStringList &args)
{
    if (args.size() != 1 || args[0].startsWith(QLatin1String("--")))
        return usageError(QStringLiteral("show needs exactly one NAME or FILE"));
    int code = ExitOk;
    const std::optional<SessionTemplate> t = load(args[0], &code);
    if (!t)
        return code;
    printOut(QString::fromUtf8(templateToJson(*t)));
    return ExitOk;
}

int runValidate(const QStringList &args)
{
    if (args.size() != 1 || args[0].startsWith(QLatin1String("--")))
        return usageError(QStringLiteral("validate needs exactly one FILE"));
    QString path = args[0];
    if (!QFileInfo(path).isFile()) {
        const QString bundled = bundledTemplatePath(path);
        if (bundled.isEmpty()) {
            printError(path + QStringLiteral(": no such file"));
            return ExitUsage;
        }
        path = bundled;
    }
    const Result<QByteArray> bytes = readTemplateFile(path);
    if (!bytes) {
        printError(args[0] + QStringLiteral(": /: ") + bytes.error().what);
        return ExitFindings;
    }
    const TemplateReadResult result = readTemplate(*bytes);
    for (const TemplateProblem &p : result.problems)
        printError(p.message(args[0]));
    if (!result.ok())
        return ExitFindings;
    printInfo(QStringLiteral("%1: valid (%2 tracks, %3 buses)\n").arg(args[0]).arg(result.tmpl.tracks.size()).arg(result.tmpl.buses.size()));
    return ExitOk;
}

int runExport(const QStringList &args)
{
    QString input, format, output, problem;
    if (!parseOptions(args, &input, &format, &output, &problem))
        return usageError(QStringLiteral("export: ") + problem);
    if (input.isEmpty() || format.isEmpty() || output.isEmpty())
        return usageError(QStringLiteral("export needs NAME|FILE, --format and -o OUT"));
    format = format.toLower();
    const QStringList formats{QStringLiteral("dawproject"), QStringLiteral("rpp"), QStringLiteral("csv"), QStringLiteral("html")};
    if (!formats.contains(format))
        return usageError(QStringLiteral("unknown format '%1' (dawproject, rpp, csv, html)").arg(format));
    int code = ExitOk;
    const std::optional<SessionTemplate> t = load(input, &code);
    if (!t)
        return code;
    if (output == QLatin1String("-")) {
        if (format == QLatin1String("dawproject"))
            return usageError(QStringLiteral("a .dawproject is a zip; give a file name to -o"));
        const QByteArray data = format == QLatin1String("rpp") ? rppProject(*t)
                              : format == QLatin1String("csv") ? trackSheetCsv(*t) : trackSheetHtml(*t);
        return writeOutput(output, data) ? ExitOk : ExitUsage;
    }
    const Status status = format == QLatin1String("dawproject") ? exportDawProject(*t, output)
                        : format == QLatin1String("rpp")        ? exportRpp(*t, output)
                        : format == QLatin1String("csv")        ? exportTrackSheetCsv(*t, output)
                                                                : exportTrackSheetHtml(*t, output);
    if (!status) {
        printError(status.error().line());
        return ExitUsage;  // CLI-CONTRACT: output not writable
    }
    printInfo(QStringLiteral("%1: %2 tracks written as %3\n").arg(output).arg(t->tracks.size()).arg(format));
    return ExitOk;
}

int runImport(const QStringList &args)
{
    QString input, output, problem;
    if (!parseOptions(args, &input, nullptr, &output, &problem))
        return usageError(QStringLiteral("import: ") + problem);
    if (input.isEmpty() || output.isEmpty())
        return usageError(QStringLiteral("import needs FILE and -o OUT.json"));
    QFile file(input);
    if (!QFileInfo(input).isFile()) {
        printError(input + QStringLiteral(": no such file"));
        return ExitUsage;
    }
    QByteArray magic;
    if (file.open(QIODevice::ReadOnly))
        magic = file.read(4);
    file.close();
    const bool isZip = magic.startsWith("PK") || input.endsWith(QLatin1String(".dawproject"), Qt::CaseInsensitive);
    const bool isRpp = magic.startsWith("<REA") || input.endsWith(QLatin1String(".rpp"), Qt::CaseInsensitive);
    if (!isZip && !isRpp)
        return usageError(input + QStringLiteral(": not a .dawproject or REAPER .RPP file"));
    const Result<SessionTemplate> t = isZip ? importDawProject(input) : importRpp(input);
    if (!t) {
        printError(t.error().line());
        return ExitFindings;
    }
    if (!writeOutput(output, templateToJson(*t)))
        return ExitUsage;
    if (output != QLatin1String("-"))
        printInfo(QStringLiteral("%1: template \"%2\" with %3 tracks, %4 groups, %5 buses\n")
                      .arg(output, t->name).arg(t->tracks.size()).arg(t->groups.size()).arg(t->buses.size()));
    return ExitOk;
}

}  // namespace

int runTemplate(const QStringList &args)
{
    return runSubcommand(QStringLiteral("stemship template"), kTemplateUsage,
                         {{"list", runList}, {"show", runShow}, {"validate", runValidate}, {"export", runExport}, {"import", runImport}},
                         args);
}

}  // namespace stemship::cli
