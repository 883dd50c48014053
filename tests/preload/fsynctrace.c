/* LD_PRELOAD shim for tst_cli_durability: logs every fsync/fdatasync (with the path of the descriptor) and every
 * rename/renameat (with both paths) to the file named by $STEMSHIP_SYNC_TRACE, one line each, in call order,
 * then does the real call. The test reads the order back: a durable commit fsyncs the temporary, renames it,
 * then fsyncs the destination's folder. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void trace(const char *what, const char *a, const char *b)
{
    const char *file = getenv("STEMSHIP_SYNC_TRACE");
    if (!file)
        return;
    char line[3 * PATH_MAX];
    const int n = snprintf(line, sizeof line, "%s\t%s\t%s\n", what, a ? a : "", b ? b : "");
    const int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    if (n > 0 && write(fd, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1)) < 0) {
    }
    close(fd);
}

static void traceFd(const char *what, int fd)
{
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    trace(what, path, NULL);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    traceFd("fsync", fd);
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    traceFd("fsync", fd);
    return real(fd);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    const int result = real(from, to);
    if (result == 0)
        trace("rename", from, to);
    return result;
}
