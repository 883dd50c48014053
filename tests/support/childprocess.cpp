#include "childprocess.h"

#include "deliverysignals.h"

#include <QFile>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace stemship::test {

Child startChild(const QString &program, const QStringList &args, const ChildSetup &setup)
{
    Child c;
    c.outFile = setup.captureDir + QStringLiteral("/stdout");
    c.errFile = setup.captureDir + QStringLiteral("/stderr");
    // Everything the child needs is built before the fork.
    QList<QByteArray> argv8{QFile::encodeName(program)};
    for (const QString &a : args)
        argv8.append(QFile::encodeName(a));
    std::vector<char *> argv;
    for (QByteArray &a : argv8)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray outPath = QFile::encodeName(c.outFile), errPath = QFile::encodeName(c.errFile);
    const QByteArray workDir = QFile::encodeName(setup.workDir);
    QByteArray tmpDirAssignment = "TMPDIR=" + QFile::encodeName(setup.tmpDir);
    char *tmpDirEnv = setup.tmpDir.isEmpty() ? nullptr : tmpDirAssignment.data();
    QList<QByteArray> extraEnv;
    for (const QString &assignment : setup.environment)
        extraEnv.append(QFile::encodeName(assignment));
    c.clock.start();
    c.pid = fork();
    if (c.pid == 0) {
        dup2(::open(outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
        dup2(::open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
        dup2(::open("/dev/null", O_RDONLY), 0);
        if (!workDir.isEmpty() && chdir(workDir.constData()) != 0)
            _exit(127);
        if (tmpDirEnv)
            putenv(tmpDirEnv);
        for (QByteArray &assignment : extraEnv)
            putenv(assignment.data());
        if (setup.fileSizeLimitBytes) {
            signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{setup.fileSizeLimitBytes, setup.fileSizeLimitBytes};
            setrlimit(RLIMIT_FSIZE, &limit);
        }
        if (setup.addressSpaceBytes) {
            const rlimit limit{setup.addressSpaceBytes, setup.addressSpaceBytes};
            setrlimit(RLIMIT_AS, &limit);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    return c;
}

ChildRun finishChild(const Child &child, int timeoutMs)
{
    ChildRun run;
    int status = 0;
    rusage usage{};
    QElapsedTimer watchdog;
    watchdog.start();
    for (;;) {
        if (wait4(child.pid, &status, WNOHANG, &usage) == child.pid)
            break;
        if (watchdog.elapsed() > timeoutMs) {
            run.timedOut = true;
            kill(child.pid, SIGKILL);
            wait4(child.pid, &status, 0, &usage);
            break;
        }
        usleep(10000);
    }
    run.elapsedMs = child.clock.elapsed();
    run.maxRssKiB = usage.ru_maxrss;
    if (WIFEXITED(status))
        run.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        run.signal = WTERMSIG(status);
    run.out = readFile(child.outFile);
    run.err = readFile(child.errFile);
    return run;
}

ChildRun runChild(const QString &program, const QStringList &args, const ChildSetup &setup, int timeoutMs)
{
    return finishChild(startChild(program, args, setup), timeoutMs);
}

QStringList pauseAt(const QString &stages, const QString &marker)
{
    QStringList directives;
    for (const QString &stage : stages.split(QLatin1Char(',')))
        directives << QStringLiteral("pause@") + stage;
    QFile::remove(marker);
    return {QStringLiteral("STEMSHIP_FAULT=") + directives.join(QLatin1Char(',')), QStringLiteral("STEMSHIP_FAULT_MARKER=") + marker};
}

bool waitForPause(const Child &child, const QString &marker, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        siginfo_t info{};
        if (waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child.pid)
            return false;
        if (QFile::exists(marker))
            return true;
        usleep(2000);
    }
    return false;
}

void release(const QString &marker) { QFile::remove(marker); }

}  // namespace stemship::test
