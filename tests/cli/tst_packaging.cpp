// The installable package: the desktop entry and AppStream metainfo validate, and the .deb that cpack builds
// holds the binaries, templates, resources, desktop integration and icon.

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString packagingDir()
{
    // STEMSHIP_TEST_DATA_DIR is <source>/tests/data.
    return QDir(QStringLiteral(STEMSHIP_TEST_DATA_DIR)).absoluteFilePath(QStringLiteral("../../packaging"));
}

QString buildDir()
{
    // STEMSHIP_CLI_PATH is <build>/bin/stemship.
    return QFileInfo(QStringLiteral(STEMSHIP_CLI_PATH)).absoluteDir().absoluteFilePath(QStringLiteral(".."));
}

struct Run {
    int exitCode = -1;
    QString output;
};

Run run(const QString &program, const QStringList &arguments, const QString &workingDirectory = {}, int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs))
        return {-1, QStringLiteral("timed out: ") + program};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

}  // namespace

class TestPackaging : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void desktopEntryValidates()
    {
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        if (tool.isEmpty())
            QSKIP("desktop-file-validate is not installed (apt-get install desktop-file-utils)");
        const QString file = packagingDir() + QStringLiteral("/org.stemship.Stemship.desktop");
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        const Run result = run(tool, {file});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY2(result.output.trimmed().isEmpty(), qPrintable(result.output));  // no warnings either
    }

    void metainfoValidates()
    {
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
        if (tool.isEmpty())
            QSKIP("appstreamcli is not installed (apt-get install appstream)");
        const QString file = packagingDir() + QStringLiteral("/org.stemship.Stemship.metainfo.xml");
        const Run result = run(tool, {QStringLiteral("validate"), QStringLiteral("--no-net"), file});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY2(!result.output.contains(QLatin1String("W: ")) && !result.output.contains(QLatin1String("E: ")),
                 qPrintable(result.output));
    }

    void desktopEntryMatchesMetainfoAndIcon()
    {
        QFile desktop(packagingDir() + QStringLiteral("/org.stemship.Stemship.desktop"));
        QVERIFY(desktop.open(QIODevice::ReadOnly));
        const QString entry = QString::fromUtf8(desktop.readAll());
        QVERIFY(entry.contains(QLatin1String("\nIcon=org.stemship.Stemship\n")));
        QVERIFY(entry.contains(QLatin1String("\nExec=stemship-gui")));
        QFile metainfo(packagingDir() + QStringLiteral("/org.stemship.Stemship.metainfo.xml"));
        QVERIFY(metainfo.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(metainfo.readAll());
        QVERIFY(xml.contains(QLatin1String("<id>org.stemship.Stemship</id>")));
        QVERIFY(xml.contains(QLatin1String("<launchable type=\"desktop-id\">org.stemship.Stemship.desktop</launchable>")));
    }

    // Builds the .deb with cpack from this build tree (about 10 s) and lists it with dpkg-deb.
    void debianPackageContents()
    {
        const QString cpack = QStandardPaths::findExecutable(QStringLiteral("cpack"));
        const QString dpkgDeb = QStandardPaths::findExecutable(QStringLiteral("dpkg-deb"));
        if (cpack.isEmpty() || dpkgDeb.isEmpty())
            QSKIP("cpack or dpkg-deb is not installed");
        const QString config = buildDir() + QStringLiteral("/CPackConfig.cmake");
        if (!QFileInfo::exists(config))
            QSKIP("no CPackConfig.cmake in the build tree");
        if (!QFileInfo::exists(buildDir() + QStringLiteral("/bin/stemship-gui")))
            QSKIP("stemship-gui is not built in this tree (cmake --build . --target stemship-gui)");
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const Run built = run(cpack, {QStringLiteral("--config"), config, QStringLiteral("-B"), work.path()}, work.path(), 300000);
        QVERIFY2(built.exitCode == 0, qPrintable(built.output));
        const QStringList debs = QDir(work.path()).entryList({QStringLiteral("stemship_*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        const QString deb = work.filePath(debs.constFirst());

        const Run listing = run(dpkgDeb, {QStringLiteral("-c"), deb});
        QVERIFY2(listing.exitCode == 0, qPrintable(listing.output));
        for (const char *expected : {"./usr/bin/stemship", "./usr/bin/stemship-gui",
                                     "./usr/share/applications/org.stemship.Stemship.desktop",
                                     "./usr/share/metainfo/org.stemship.Stemship.metainfo.xml",
                                     "./usr/share/icons/hicolor/scalable/apps/org.stemship.Stemship.svg",
                                     "./usr/share/stemship/templates/band-tracking.json",
                                     "./usr/share/stemship/resources/icons/stemship.svg"})
            QVERIFY2(listing.output.contains(QRegularExpression(QRegularExpression::escape(QString::fromLatin1(expected)) + QStringLiteral("\\n"))),
                     expected);

        const Run info = run(dpkgDeb, {QStringLiteral("-I"), deb});
        QVERIFY2(info.exitCode == 0, qPrintable(info.output));
        QVERIFY(info.output.contains(QLatin1String("Package: stemship")));
        QVERIFY(info.output.contains(QLatin1String("Section: sound")));
        QVERIFY(info.output.contains(QLatin1String("Maintainer: ")));
        // SHLIBDEPS worked out the runtime libraries.
        QVERIFY2(info.output.contains(QLatin1String("libqt6widgets6")), qPrintable(info.output));
        QVERIFY2(info.output.contains(QLatin1String("libsndfile1")), qPrintable(info.output));
    }
};

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
