// Audit benchmark (issue: stem audit): 12 stereo stems x 180 s, 44.1 kHz float WAV.
//  - `stemship audit --jobs 2` against ffmpeg's ebur128=peak=true filter over the same files, 2 at a time.
//    Target: at least 5x faster (wall).
//  - The same with --sum (the stems' sum measured as one more programme): at least 8x faster than ffmpeg.
//  - Peak memory of auditing a 60-minute stereo file: at most 100 MiB and within 20 MiB of a 3-minute file's.
// Run: cmake --build build/release --target bench_audit && build/release/bench/bench_audit [--stems N --seconds S]

#include "testsignals.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sndfile.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace {

// Writes a long stem block by block so the benchmark itself stays small in memory.
bool writeLongStem(const QString &path, int rate, int channels, double seconds, std::uint32_t seed)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    if (seconds * rate * channels * 4 > 4e9)
        info.format = SF_FORMAT_RF64 | SF_FORMAT_FLOAT;
    SNDFILE *f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f)
        return false;
    const auto chunk = stemship::test::programme(rate, channels, 10.0, seed, -6.0);
    const auto total = std::int64_t(seconds * rate);
    for (std::int64_t done = 0; done < total;) {
        const std::int64_t n = std::min<std::int64_t>(chunk.frames(), total - done);
        sf_writef_float(f, chunk.samples.data(), n);
        done += n;
    }
    return sf_close(f) == 0;
}

struct Measured {
    double seconds = 0;
    long maxRssKiB = 0;
    int exitCode = -1;
};

// Runs a command, returning wall time and the child's peak RSS (wait4).
Measured runMeasured(const QStringList &argv)
{
    std::fflush(stdout);  // or the child's exit flushes our buffered lines a second time
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<QByteArray> bytes;
        std::vector<char *> args;
        for (const QString &a : argv)
            bytes.push_back(a.toLocal8Bit());
        for (auto &b : bytes)
            args.push_back(b.data());
        args.push_back(nullptr);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    return Measured{timer.elapsed() / 1000.0, usage.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

// ffmpeg's ebur128 filter with true peak over the files, at most two processes at a time; *failures counts the
// runs that did not exit 0 (a comparison with a failed contender means nothing).
double ffmpegTwoAtATime(const QStringList &files, int *failures)
{
    QElapsedTimer timer;
    timer.start();
    QList<pid_t> running;
    int next = 0;
    while (next < files.size() || !running.isEmpty()) {
        while (running.size() < 2 && next < files.size()) {
            const QByteArray file = files.at(next++).toLocal8Bit();
            std::fflush(stdout);
            const pid_t pid = fork();
            if (pid == 0) {
                freopen("/dev/null", "w", stdout);
                freopen("/dev/null", "w", stderr);
                execlp("ffmpeg", "ffmpeg", "-nostats", "-hide_banner", "-i", file.constData(), "-af",
                       "ebur128=peak=true", "-f", "null", "-", (char *)nullptr);
                _exit(127);
            }
            running.append(pid);
        }
        int status = 0;
        const pid_t done = wait(&status);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ++*failures;
        running.removeAll(done);
    }
    return timer.elapsed() / 1000.0;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int stems = 12;
    double seconds = 180.0;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--stems"))
            stems = args[i + 1].toInt();
        if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toDouble();
    }
    QTemporaryDir dir;
    const QString cli = QStringLiteral(STEMSHIP_CLI_PATH);
    std::printf("bench_audit: writing %d stereo stems x %.0f s, 44.1 kHz float...\n", stems, seconds);
    QStringList files;
    for (int i = 0; i < stems; ++i) {
        const QString f = dir.filePath(QStringLiteral("stem%1.wav").arg(i, 2, 10, QLatin1Char('0')));
        if (!writeLongStem(f, 44100, 2, seconds, std::uint32_t(i + 1)))
            return 1;
        files.append(f);
    }
    // Warm the page cache for both contenders alike.
    runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("2"), dir.path()});

    const Measured ours = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"),
                                       QStringLiteral("2"), QStringLiteral("--json"), dir.filePath(QStringLiteral("r.json")), dir.path()});
    std::printf("stemship audit --jobs 2: %.2f s wall, peak RSS %.1f MiB, exit %d\n", ours.seconds, ours.maxRssKiB / 1024.0, ours.exitCode);
    // Audit exits 0 (clean) or 1 (findings); anything else means it did not do the work being timed.
    bool ok = ours.exitCode == 0 || ours.exitCode == 1;
    if (!ok)
        std::printf("FAIL: stemship audit exited %d\n", ours.exitCode);
    const Measured summed = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("2"),
                                         QStringLiteral("--sum"), QStringLiteral("--json"), dir.filePath(QStringLiteral("s.json")), dir.path()});
    std::printf("stemship audit --jobs 2 --sum: %.2f s wall, peak RSS %.1f MiB, exit %d\n", summed.seconds, summed.maxRssKiB / 1024.0,
                summed.exitCode);
    ok = ok && (summed.exitCode == 0 || summed.exitCode == 1);
    if (!QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty()) {
        int ffFailures = 0;
        const double ff = ffmpegTwoAtATime(files, &ffFailures);
        std::printf("ffmpeg ebur128=peak=true, 2 at a time: %.2f s wall, %d failed run(s)\n", ff, ffFailures);
        // The audit's figure the project keeps (issue 12): 10x ffmpeg's ebur128 filter.
        const bool fast = ff / ours.seconds >= 10.0 && ffFailures == 0;
        std::printf("speed-up: %.1fx (target >= 10x) %s\n", ff / ours.seconds, fast ? "PASS" : "FAIL");
        const bool fastSum = ff / summed.seconds >= 8.0 && ffFailures == 0;
        std::printf("speed-up with --sum: %.1fx (target >= 8x) %s\n", ff / summed.seconds, fastSum ? "PASS" : "FAIL");
        ok = ok && fast && fastSum;
    } else {
        std::printf("ffmpeg not found: install it (scripts/setup.sh bench) for the side-by-side figure\n");
    }

    // Memory against length: 3 minutes vs 60 minutes of stereo.
    const QString shortFile = dir.filePath(QStringLiteral("short.wav")), longFile = dir.filePath(QStringLiteral("long.wav"));
    for (const QString &f : files)
        QFile::remove(f);
    writeLongStem(shortFile, 44100, 2, 180.0, 99);
    writeLongStem(longFile, 44100, 2, 3600.0, 98);
    const Measured s = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), shortFile});
    const Measured l = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), longFile});
    for (const Measured *m : {&s, &l})
        if (m->exitCode != 0 && m->exitCode != 1) {
            std::printf("FAIL: stemship audit of the memory files exited %d\n", m->exitCode);
            ok = false;
        }
    std::printf("peak RSS: 3-min file %.1f MiB (%.2f s), 60-min file %.1f MiB (%.2f s)\n", s.maxRssKiB / 1024.0, s.seconds,
                l.maxRssKiB / 1024.0, l.seconds);
    const bool memOk = l.maxRssKiB <= 100 * 1024 && l.maxRssKiB - s.maxRssKiB <= 20 * 1024;
    std::printf("memory target (60-min <= 100 MiB, within 20 MiB of 3-min): %s\n", memOk ? "PASS" : "FAIL");
    // The sum streams too: its memory follows the number of stems, never their length.
    const Measured ss = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--sum"), shortFile, shortFile});
    const Measured ls = runMeasured({cli, QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--sum"), longFile, longFile});
    const bool sumMemOk = ls.maxRssKiB - ss.maxRssKiB <= 20 * 1024;
    std::printf("peak RSS with --sum (the file twice): 3-min %.1f MiB, 60-min %.1f MiB: %s\n", ss.maxRssKiB / 1024.0,
                ls.maxRssKiB / 1024.0, sumMemOk ? "PASS" : "FAIL");
    return ok && memOk && sumMemOk ? 0 : 1;
}
