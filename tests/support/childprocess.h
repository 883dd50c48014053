#pragma once

// Runs a program (the stemship CLI) in a forked child of its own: output to files, a working folder, TMPDIR and
// resource limits of the test's choosing, a watchdog, and the child's own peak memory from wait4.

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include <sys/resource.h>
#include <sys/types.h>

namespace stemship::test {

// Where a child's output goes and what it runs under.
struct ChildSetup {
    QString captureDir;             // stdout and stderr land in captureDir/stdout and captureDir/stderr
    QString workDir;                // empty: the test's own
    QString tmpDir;                 // non-empty: the child's TMPDIR
    rlim_t fileSizeLimitBytes = 0;  // RLIMIT_FSIZE, SIGXFSZ ignored: writes past it fail with EFBIG, as on a full disk
    rlim_t addressSpaceBytes = 0;   // RLIMIT_AS
    QStringList environment;        // "NAME=value" added to the child's environment (fault points, LD_PRELOAD)
};

// A started child, to signal (kill(pid, …)) and then finish.
struct Child {
    pid_t pid = -1;
    QString outFile, errFile;
    QElapsedTimer clock;  // started just before the fork
};

// How a child ended and what it printed.
struct ChildRun {
    int exitCode = -1;  // -1 when killed by a signal or timed out
    int signal = 0;
    bool timedOut = false;
    long maxRssKiB = 0;     // this child's peak resident set (wait4)
    qint64 elapsedMs = 0;   // from the start to the end
    QByteArray out;
    QByteArray err;
};

Child startChild(const QString &program, const QStringList &args, const ChildSetup &setup);
// Waits for the child, killing it (SIGKILL) when it has not ended timeoutMs after this call; reads its output.
ChildRun finishChild(const Child &child, int timeoutMs);
ChildRun runChild(const QString &program, const QStringList &args, const ChildSetup &setup, int timeoutMs);

// The environment that holds a job at a named stage (core/util/faultpoint.h): the child creates marker when it
// gets there and waits while the marker exists. stages: "measuring", or several: "measuring,cleanup".
QStringList pauseAt(const QString &stages, const QString &marker);
// True once marker exists while the child is still running (checked without reaping it); false when the child
// ended first or timeoutMs passed. A fault test asserts this, so its fault provably lands mid-job.
bool waitForPause(const Child &child, const QString &marker, int timeoutMs = 60000);
// Lets a held job go on.
void release(const QString &marker);

}  // namespace stemship::test
