// Packaging benchmark: 12 stereo stems x 180 s, 44.1 kHz float, peak -18 dBFS, delivered at 48 kHz / 24-bit in a
// stored zip with 2 jobs; against sox (gain -n, rate -v, dither), 2 at a time, then zip -0. Prints wall time and
// the peak RSS of the child processes.

#include "testsignals.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>
#include <sys/resource.h>

using namespace stemship::test;

namespace {

long peakChildRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

bool runAll(const QList<QStringList> &commands, int parallel)
{
    QList<QProcess *> running;
    qsizetype next = 0;
    bool ok = true;
    while (next < commands.size() || !running.isEmpty()) {
        while (running.size() < parallel && next < commands.size()) {
            auto *p = new QProcess;
            p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            QStringList args = commands[next++];
            const QString program = args.takeFirst();
            p->start(program, args);
            running.append(p);
        }
        QProcess *p = running.takeFirst();
        p->waitForFinished(-1);
        ok = ok && p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0;
        delete p;
    }
    return ok;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int stems = argc > 1 ? std::atoi(argv[1]) : 12;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 180.0;
    QTemporaryDir dir;
    const QString in = dir.filePath(QStringLiteral("in"));
    QDir().mkpath(in);
    std::printf("generating %d stereo stems x %.0f s, 44.1 kHz float, peak -18 dBFS...\n", stems, seconds);
    const Signal base = programme(44100, 2, seconds, 1u, -18.0);
    QStringList files;
    for (int i = 0; i < stems; ++i) {
        Signal s = base;
        // Distinct content per stem without regenerating: rotate the signal.
        std::rotate(s.samples.begin(), s.samples.begin() + std::ptrdiff_t(std::size_t(i) * 2 * 44100 * 7 % s.samples.size()) / 2 * 2, s.samples.end());
        const QString path = in + QStringLiteral("/Stem %1.wav").arg(i + 1, 2, 10, QLatin1Char('0'));
        if (!writeAudio(path, s))
            return 1;
        files << path;
    }

    const long rssBefore = peakChildRssKiB();
    QElapsedTimer timer;
    timer.start();
    const QString out = dir.filePath(QStringLiteral("stemship.zip"));
    const bool oursOk = runAll({{QStringLiteral(STEMSHIP_CLI_PATH), QStringLiteral("package"), QStringLiteral("-o"), out,
                                 QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"),
                                 QStringLiteral("--version"), QStringLiteral("bench"), QStringLiteral("--gain"), QStringLiteral("peak"),
                                 QStringLiteral("--target"), QStringLiteral("-18"), QStringLiteral("--jobs"), QStringLiteral("2"),
                                 QStringLiteral("--quiet"), in}}, 1);
    const double oursSeconds = timer.elapsed() / 1000.0;
    const long oursRss = peakChildRssKiB();

    const QString sox = QStandardPaths::findExecutable(QStringLiteral("sox"));
    const QString zip = QStandardPaths::findExecutable(QStringLiteral("zip"));
    if (sox.isEmpty() || zip.isEmpty()) {
        std::printf("stemship: %.2f s (%s), peak RSS %ld KiB; sox or zip not installed, no comparison\n", oursSeconds,
                    oursOk ? "ok" : "FAILED", oursRss);
        return oursOk ? 0 : 1;
    }
    const QString soxOut = dir.filePath(QStringLiteral("sox"));
    QDir().mkpath(soxOut);
    QList<QStringList> soxJobs;
    QStringList outputs;
    for (const QString &f : files) {
        const QString o = soxOut + QLatin1Char('/') + QFileInfo(f).fileName();
        outputs << o;
        soxJobs.append({sox, f, QStringLiteral("-b"), QStringLiteral("24"), o, QStringLiteral("gain"), QStringLiteral("-n"),
                        QStringLiteral("-18"), QStringLiteral("rate"), QStringLiteral("-v"), QStringLiteral("48000"), QStringLiteral("dither")});
    }
    timer.restart();
    bool soxOk = runAll(soxJobs, 2);
    soxOk = soxOk && runAll({QStringList{zip, QStringLiteral("-0"), QStringLiteral("-q"), QStringLiteral("-j"), dir.filePath(QStringLiteral("sox.zip"))} + outputs}, 1);
    const double soxSeconds = timer.elapsed() / 1000.0;
    const long soxRss = peakChildRssKiB();

    std::printf("%-28s %10s %18s\n", "", "wall (s)", "peak RSS (KiB)");
    std::printf("%-28s %10.2f %18ld %s\n", "stemship package --jobs 2", oursSeconds, std::max(oursRss, rssBefore), oursOk ? "" : "FAILED");
    std::printf("%-28s %10.2f %18s %s\n", "sox x2 + zip -0", soxSeconds, soxRss > oursRss ? QByteArray::number(qlonglong(soxRss)).constData() : "<= stemship",
                soxOk ? "" : "FAILED");
    std::printf("speed-up: %.2fx (target >= 3x)\n", soxSeconds / oursSeconds);
    return oursOk && soxOk ? 0 : 1;
}
