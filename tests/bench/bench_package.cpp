// Packaging benchmark: 12 stereo stems x 180 s, 44.1 kHz float, peak -18 dBFS, delivered at 48 kHz / 24-bit in a
// stored zip with 2 jobs; against sox (gain -n, rate -v, dither), 2 at a time, then zip -0. Prints wall time and
// the peak RSS of the child processes. Arguments: [stems [seconds [rounds]]], default 12 180 3. Exits 1 when a run
// failed or a figure misses its target (issue 12: 4x sox+zip; issue 14: --reference adds at most 50 %).

#include "testsignals.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace stemship::test;

namespace {

// Runs the commands, `parallel` at a time, with fork + exec so that wait4 reports each child's own peak RSS
// (getrusage(RUSAGE_CHILDREN) keeps the maximum over every child ever reaped, and posix_spawn / QProcess start
// children from this process's high-water mark). *peakRssKiB gets the largest of them.
bool runAll(const QList<QStringList> &commands, int parallel, long *peakRssKiB)
{
    int running = 0;
    qsizetype next = 0;
    bool ok = true;
    while (next < commands.size() || running > 0) {
        while (running < parallel && next < commands.size()) {
            std::vector<QByteArray> args;
            for (const QString &a : commands[next++])
                args.push_back(QFile::encodeName(a));
            std::vector<char *> argv;
            for (QByteArray &a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            std::fflush(stdout);
            const pid_t pid = fork();
            if (pid == 0) {
                execv(argv[0], argv.data());
                _exit(127);
            }
            if (pid < 0)
                return false;
            ++running;
        }
        int status = 0;
        rusage usage{};
        if (wait4(-1, &status, 0, &usage) <= 0)
            return false;
        --running;
        ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        *peakRssKiB = std::max(*peakRssKiB, usage.ru_maxrss);
    }
    return ok;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int stems = argc > 1 ? std::atoi(argv[1]) : 12;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 180.0;
    const int rounds = std::max(1, argc > 3 ? std::atoi(argv[3]) : 3);
    // STEMSHIP_BENCH_DIR keeps the session (and its outputs) in a folder of your choice, for profiling.
    QTemporaryDir temporary;
    const QDir dir(qEnvironmentVariableIsSet("STEMSHIP_BENCH_DIR") ? qEnvironmentVariable("STEMSHIP_BENCH_DIR") : temporary.path());
    const QString in = dir.filePath(QStringLiteral("in"));
    QDir().mkpath(in);
    std::printf("generating %d stereo stems x %.0f s, 44.1 kHz float, peak -18 dBFS...\n", stems, seconds);
    QStringList files;
    for (int i = 0; i < stems; ++i)
        files << in + QStringLiteral("/Stem %1.wav").arg(i + 1, 2, 10, QLatin1Char('0'));
    // The stems are generated in a child that exits, so this process stays small: a forked child's peak RSS
    // starts with the pages it shares with this one (here two copies of a stem would be ~130 MB).
    std::fflush(stdout);
    const pid_t generator = fork();
    if (generator == 0) {
        const Signal base = programme(44100, 2, seconds, 1u, -18.0);
        Signal mix{44100, 2, std::vector<float>(base.samples.size(), 0.0f)};  // the reference: the stems' sum
        for (int i = 0; i < stems; ++i) {
            Signal s = base;
            // Distinct content per stem without regenerating: rotate the signal.
            std::rotate(s.samples.begin(), s.samples.begin() + std::ptrdiff_t(std::size_t(i) * 2 * 44100 * 7 % s.samples.size()) / 2 * 2, s.samples.end());
            if (!writeAudio(files[i], s))
                _exit(1);
            for (std::size_t k = 0; k < s.samples.size(); ++k)
                mix.samples[k] += s.samples[k];
        }
        _exit(writeAudio(dir.filePath(QStringLiteral("Mix.wav")), mix) ? 0 : 1);
    }
    int generated = -1;
    if (generator < 0 || waitpid(generator, &generated, 0) != generator || !WIFEXITED(generated) || WEXITSTATUS(generated) != 0)
        return 1;

    const QString sox = QStandardPaths::findExecutable(QStringLiteral("sox"));
    const QString zip = QStandardPaths::findExecutable(QStringLiteral("zip"));
    const QString out = dir.filePath(QStringLiteral("stemship.zip"));
    const QStringList ours{QStringLiteral(STEMSHIP_CLI_PATH), QStringLiteral("package"), QStringLiteral("-o"), out,
                           QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"),
                           QStringLiteral("--version"), QStringLiteral("bench"), QStringLiteral("--gain"), QStringLiteral("peak"),
                           QStringLiteral("--target"), QStringLiteral("-18"), QStringLiteral("--jobs"), QStringLiteral("2"),
                           QStringLiteral("--quiet"), in};
    // The same job with the reference mix: its null-test forensics (and the mix delivered as a 13th file).
    QStringList oursReference = ours;
    oursReference.insert(oursReference.size() - 1, QStringLiteral("--reference"));
    oursReference.insert(oursReference.size() - 1, dir.filePath(QStringLiteral("Mix.wav")));
    const QString soxOut = dir.filePath(QStringLiteral("sox"));
    const QString soxZip = dir.filePath(QStringLiteral("sox.zip"));
    QDir().mkpath(soxOut);
    QList<QStringList> soxJobs;
    QStringList outputs;
    for (const QString &f : files) {
        const QString o = soxOut + QLatin1Char('/') + QFileInfo(f).fileName();
        outputs << o;
        soxJobs.append({sox, f, QStringLiteral("-b"), QStringLiteral("24"), o, QStringLiteral("gain"), QStringLiteral("-n"),
                        QStringLiteral("-18"), QStringLiteral("rate"), QStringLiteral("-v"), QStringLiteral("48000"), QStringLiteral("dither")});
    }
    const bool compare = !sox.isEmpty() && !zip.isEmpty();

    // Side by side, `rounds` times each, alternating; the medians are compared. Every run starts from the same
    // state: its earlier outputs removed and everything written so far flushed to disk (sync), so that neither
    // pays for the other's (or the generator's) writeback.
    long oursRss = 0, soxRss = 0, referenceRss = 0;
    bool oursOk = true, soxOk = true, referenceOk = true;
    std::vector<double> oursSeconds, soxSeconds, referenceSeconds;
    QElapsedTimer timer;
    for (int round = 0; round < rounds; ++round) {
        QFile::remove(out);
        ::sync();
        timer.start();
        oursOk = runAll({ours}, 1, &oursRss) && oursOk;
        oursSeconds.push_back(timer.nsecsElapsed() / 1e9);
        QFile::remove(out);
        ::sync();
        timer.start();
        referenceOk = runAll({oursReference}, 1, &referenceRss) && referenceOk;
        referenceSeconds.push_back(timer.nsecsElapsed() / 1e9);
        if (!compare)
            continue;
        for (const QString &o : outputs)
            QFile::remove(o);
        QFile::remove(soxZip);
        ::sync();
        timer.start();
        soxOk = runAll(soxJobs, 2, &soxRss) && soxOk;
        soxOk = runAll({QStringList{zip, QStringLiteral("-0"), QStringLiteral("-q"), QStringLiteral("-j"), soxZip} + outputs}, 1, &soxRss) && soxOk;
        soxSeconds.push_back(timer.nsecsElapsed() / 1e9);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    auto list = [](const std::vector<double> &v) {
        QString s;
        for (double x : v)
            s += QString::number(x, 'f', 2) + QLatin1Char(' ');
        return s.trimmed().toStdString();
    };
    // Issue 14: the reference's forensics add at most 50 % to the same job without one.
    std::printf("%-28s %16s %18s   %s\n", "", "median wall (s)", "peak RSS (KiB)", "runs (s)");
    std::printf("%-28s %16.2f %18ld   %s %s\n", "package --jobs 2", median(oursSeconds), oursRss, list(oursSeconds).c_str(), oursOk ? "" : "FAILED");
    std::printf("%-28s %16.2f %18ld   %s %s\n", "  same with --reference", median(referenceSeconds), referenceRss,
                list(referenceSeconds).c_str(), referenceOk ? "" : "FAILED");
    const double referenceCost = median(referenceSeconds) / median(oursSeconds) - 1.0;
    std::printf("--reference adds %.0f %% (target <= 50 %%) %s\n\n", 100.0 * referenceCost, referenceCost <= 0.5 ? "PASS" : "FAIL");
    if (!compare) {
        std::printf("sox or zip not installed, no comparison with them\n");
        return oursOk && referenceOk && referenceCost <= 0.5 ? 0 : 1;
    }

    std::printf("%-28s %16s %18s   %s\n", "", "median wall (s)", "peak RSS (KiB)", "runs (s)");
    std::printf("%-28s %16.2f %18ld   %s %s\n", "stemship package --jobs 2", median(oursSeconds), oursRss,
                list(oursSeconds).c_str(), oursOk ? "" : "FAILED");
    std::printf("%-28s %16.2f %18ld   %s %s\n", "sox x2 + zip -0", median(soxSeconds), soxRss,
                list(soxSeconds).c_str(), soxOk ? "" : "FAILED");
    const double speedUp = median(soxSeconds) / median(oursSeconds);
    const bool fast = speedUp >= 4.0 && referenceCost <= 0.5;
    std::printf("speed-up: %.2fx (target >= 4x) %s\n", speedUp, speedUp >= 4.0 ? "PASS" : "FAIL");
    return oursOk && soxOk && referenceOk && fast ? 0 : 1;
}
