#include "audio/playbackengine.h"
#include "mainwindow.h"
#include "session.h"
#include "pages/listenpage.h"
#include "profiles/profilestore.h"
#include "session.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStyleFactory>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

const char *kHelp =
    "Usage: stemship-gui [options] [PATH...]\n"
    "\n"
    "Stemship desktop app: session templates, stem audit, gain, listening and delivery.\n"
    "PATH may be audio files, folders (searched for audio) or a delivery .zip; they open as the session.\n"
    "\n"
    "Options:\n"
    "  --template NAME|FILE   use this template for the session\n"
    "  --dark | --light       force a dark or light palette (default: follow the system)\n"
    "  --reference MIX        null-test the stems against this mix (offsets, polarity, gain)\n"
    "  --screenshot DIR       save a PNG of every page to DIR (light and dark), then quit\n"
    "  --help                 show this help\n"
    "  --version              show the version\n";


const QCommandLineOption templateOption(QStringLiteral("template"), QStringLiteral("Template"), QStringLiteral("name"));
const QCommandLineOption darkOption(QStringLiteral("dark"), QStringLiteral("Dark palette"));
const QCommandLineOption lightOption(QStringLiteral("light"), QStringLiteral("Light palette"));
const QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QStringLiteral("Save page screenshots"), QStringLiteral("dir"));
const QCommandLineOption referenceOption(QStringLiteral("reference"), QStringLiteral("Reference mix"), QStringLiteral("mix"));
const QCommandLineOption profileOption(QStringLiteral("profile"), QStringLiteral("Delivery profile (bundled name or file)"),
                                       QStringLiteral("name"));
const QCommandLineOption sumOption(QStringLiteral("sum"), QStringLiteral("Measure the stems' sum too"));

// --help and --version answer without a display, before QApplication needs one; -1 when neither was asked.
int answerWithoutDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (std::strcmp(argv[i], "--version") == 0) {
            std::fputs("stemship-gui " STEMSHIP_VERSION "\n", stdout);
            return 0;
        }
    }
    return -1;
}

void setUpApplication()
{
    QApplication::setApplicationName(QStringLiteral("stemship-gui"));
    QApplication::setApplicationDisplayName(QStringLiteral("Stemship"));
    QApplication::setApplicationVersion(QStringLiteral(STEMSHIP_VERSION));
    QApplication::setOrganizationName(QStringLiteral("Stemship"));
    QApplication::setDesktopFileName(QStringLiteral("org.stemship.Stemship"));
    // Fusion draws every control from the palette, so light and dark both look deliberate.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    stemship::gui::theme::initResources();
    QApplication::setWindowIcon(stemship::gui::theme::appIcon());
}

// The session the options and paths ask for; 2 (usage) when one of them does not exist.
int openFromCommandLine(stemship::gui::MainWindow &window, const QCommandLineParser &parser)
{
    if (parser.isSet(templateOption))
        window.openTemplate(parser.value(templateOption));
    if (parser.isSet(profileOption)) {
        auto profile = stemship::profiles::loadProfile(parser.value(profileOption));
        if (!profile) {
            std::fprintf(stderr, "stemship-gui: %s\n", qPrintable(profile.error().line()));
            return 2;
        }
        window.session()->setProfile(std::move(*profile));
    }
    window.session()->setSumEnabled(parser.isSet(sumOption));
    const QStringList paths = parser.positionalArguments();
    for (const QString &path : paths)
        if (!QFileInfo::exists(path)) {
            std::fprintf(stderr, "stemship-gui: %s: no such file or folder\n", qPrintable(path));
            return 2;
        }
    if (parser.isSet(referenceOption)) {
        if (!QFileInfo(parser.value(referenceOption)).isFile()) {
            std::fprintf(stderr, "stemship-gui: %s: reference mix: no such file\n", qPrintable(parser.value(referenceOption)));
            return 2;
        }
        window.session()->setReferencePath(parser.value(referenceOption));
    }
    if (!paths.isEmpty())
        window.openPaths(paths);
    return 0;
}

// Lets the audit finish and plays a little on the silent clock, so the pages show real data, then saves them.
void saveScreenshotsWhenIdle(stemship::gui::MainWindow &window, const QString &directory)
{
    QObject::connect(&window, &stemship::gui::MainWindow::sessionIdle, &window, [&window, directory] {
        stemship::gui::PlaybackEngine *engine = window.listenPage()->engine();
        engine->setForceSilentClock(true);
        if (!engine->stems().isEmpty()) {
            engine->seek(std::min(4.0, engine->durationSeconds() / 3.0));
            engine->play();
        }
        QTimer::singleShot(engine->stems().isEmpty() ? 0 : 3500, &window, [&window, directory, engine] {
            QApplication::setPalette(stemship::gui::theme::lightPalette());
            bool ok = window.saveScreenshots(directory, QStringLiteral("light"));
            QApplication::setPalette(stemship::gui::theme::darkPalette());
            ok = window.saveScreenshots(directory, QStringLiteral("dark")) && ok;
            engine->stop();
            QApplication::exit(ok ? 0 : 1);
        });
    }, Qt::QueuedConnection);
    window.notifyWhenIdle();
}

}  // namespace

int main(int argc, char **argv)
{
    if (const int answered = answerWithoutDisplay(argc, argv); answered >= 0)
        return answered;
    QApplication app(argc, argv);
    setUpApplication();
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("Stems, folders or a delivery zip"));
    parser.addOptions({templateOption, darkOption, lightOption, screenshotOption, profileOption, sumOption, referenceOption});
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "stemship-gui: %s (try --help)\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(darkOption))
        QApplication::setPalette(stemship::gui::theme::darkPalette());
    else if (parser.isSet(lightOption))
        QApplication::setPalette(stemship::gui::theme::lightPalette());

    stemship::gui::MainWindow window;
    window.show();
    if (const int usage = openFromCommandLine(window, parser); usage != 0)
        return usage;
    if (parser.isSet(screenshotOption))
        saveScreenshotsWhenIdle(window, parser.value(screenshotOption));
    return app.exec();
}
