#include "cliutil.h"
#include "commands.h"

#include <QCoreApplication>

namespace {

const char *kUsage =
    "Usage: stemship <command> [options]\n"
    "\n"
    "Commands:\n"
    "  audit     Measure and check stems (files, folders, delivery zips)\n"
    "  package   Align, normalise and deliver stems as a verified zip\n"
    "  verify    Check a received delivery zip\n"
    "  session   Extract a delivery and write DAWproject, REAPER and MIDI tempo sessions beside its WAVs\n"
    "  template  List, show, validate, export and import session templates\n"
    "  profile   List, show and validate delivery profiles (loudness and format specs)\n"
    "  demo      Generate the demo session, audit, normalise and package it\n"
    "\n"
    "Run 'stemship <command> --help' for the options of a command.\n"
    "Options: --help, --version\n";

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("stemship"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STEMSHIP_VERSION));
    using namespace stemship::cli;
    installInterruptHandler();

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty()) {
        printError(QString::fromLatin1(kUsage).trimmed());
        return ExitUsage;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        printOut(QString::fromLatin1(kUsage));
        return ExitOk;
    }
    if (command == QLatin1String("--version")) {
        printOut(QStringLiteral("stemship " STEMSHIP_VERSION "\n"));
        return ExitOk;
    }
    if (command == QLatin1String("audit"))
        return runAudit(args);
    if (command == QLatin1String("package"))
        return runPackage(args);
    if (command == QLatin1String("verify"))
        return runVerify(args);
    if (command == QLatin1String("session"))
        return runSession(args);
    if (command == QLatin1String("template"))
        return runTemplate(args);
    if (command == QLatin1String("profile"))
        return runProfile(args);
    if (command == QLatin1String("demo"))
        return runDemo(args);
    printError(QStringLiteral("stemship: unknown command '%1' (try 'stemship --help')").arg(command));
    return ExitUsage;
}
