#include "io/signalcleanup.h"

#include <QFile>

#include <atomic>
#include <climits>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace stemship::io {
namespace {

// Fixed storage: the handler must not allocate. A job has a handful of temporaries at once.
constexpr int kSlots = 32;
enum SlotState : int { Free = 0, Filling = 1, Ready = 2 };

struct Slot {
    std::atomic<int> state{Free};
    bool isFolder = false;
    char path[PATH_MAX] = {};
};

Slot g_slots[kSlots];

// Removes the entries of the folder open as dirFd (recursing a few levels). Signal-safe. Entries removed while
// the folder is read may shift the rest, so it is read again until a pass removes nothing.
void removeContents(int dirFd, int depth) noexcept
{
    alignas(8) char buffer[4096];
    for (int removed = 1; removed > 0;) {
        removed = 0;
        ::lseek(dirFd, 0, SEEK_SET);
        for (ssize_t n = ::getdents64(dirFd, buffer, sizeof buffer); n > 0; n = ::getdents64(dirFd, buffer, sizeof buffer)) {
            for (ssize_t off = 0; off < n;) {
                const auto *entry = reinterpret_cast<const struct dirent64 *>(buffer + off);
                off += entry->d_reclen;
                const char *name = entry->d_name;
                if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0)
                    continue;
                if (::unlinkat(dirFd, name, 0) == 0) {
                    ++removed;
                    continue;
                }
                const int child = depth > 0 ? ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
                if (child >= 0) {
                    removeContents(child, depth - 1);
                    ::close(child);
                    removed += ::unlinkat(dirFd, name, AT_REMOVEDIR) == 0 ? 1 : 0;
                }
            }
        }
    }
}

}  // namespace

CleanupRegistration::CleanupRegistration(const QString &path, bool isFolder)
{
    const QByteArray encoded = QFile::encodeName(path);
    if (path.isEmpty() || encoded.size() >= PATH_MAX)
        return;
    for (int i = 0; i < kSlots; ++i) {
        int expected = Free;
        if (!g_slots[i].state.compare_exchange_strong(expected, Filling, std::memory_order_acquire))
            continue;
        std::memcpy(g_slots[i].path, encoded.constData(), std::size_t(encoded.size()) + 1);
        g_slots[i].isFolder = isFolder;
        g_slots[i].state.store(Ready, std::memory_order_release);
        m_slot = i;
        return;
    }
}

CleanupRegistration::~CleanupRegistration()
{
    if (m_slot >= 0)
        g_slots[m_slot].state.store(Free, std::memory_order_release);
}

void removeRegisteredPathsFromSignalHandler() noexcept
{
    for (Slot &slot : g_slots) {
        if (slot.state.load(std::memory_order_acquire) != Ready)
            continue;
        if (!slot.isFolder) {
            ::unlink(slot.path);
            continue;
        }
        const int dirFd = ::open(slot.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dirFd < 0)
            continue;
        removeContents(dirFd, 4);
        ::close(dirFd);
        ::rmdir(slot.path);
    }
}

}  // namespace stemship::io
