#include "io/checkedwrite.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace stemship::io {

bool pwriteAll(int fd, const void *data, std::size_t n, std::uint64_t offset)
{
    const auto *p = static_cast<const unsigned char *>(data);
    while (n > 0) {
        const ssize_t w = ::pwrite(fd, p, n, off_t(offset));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return false;
        }
        p += w;
        n -= std::size_t(w);
        offset += std::uint64_t(w);
    }
    return true;
}

bool preallocate(int fd, std::uint64_t offset, std::uint64_t bytes)
{
    if (bytes == 0)
        return true;
    // Linux fallocate(2), not posix_fallocate: glibc's fallback for filesystems without it writes zeros.
    while (::fallocate(fd, FALLOC_FL_KEEP_SIZE, off_t(offset), off_t(bytes)) != 0) {
        if (errno == EINTR)
            continue;
        return !(errno == ENOSPC || errno == EFBIG || errno == EDQUOT);
    }
    return true;
}

}  // namespace stemship::io
