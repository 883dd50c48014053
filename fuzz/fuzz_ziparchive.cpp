// Bytes written to a temporary file -> ZipArchive::open -> hostileEntries -> openEntry and read every entry.

#include "fuzzexpect.h"
#include "io/ziparchive.h"

#include <QFile>
#include <QIODevice>
#include <QTemporaryFile>

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static QTemporaryFile *file = [] {
        auto *f = new QTemporaryFile();
        f->open();
        return f;
    }();
    file->resize(0);
    file->seek(0);
    file->write(reinterpret_cast<const char *>(data), qint64(size));
    file->flush();

    auto archive = stemship::io::ZipArchive::open(file->fileName());
    if (!archive.ok())
        return 0;
    // Documented: every entry unsafe to extract is also hostile (audit and verify refuse to read it).
    const QList<stemship::io::ZipProblem> hostile = archive->hostileEntries();
    for (const stemship::io::ZipProblem &unsafe : archive->unsafeEntries())
        FUZZ_EXPECT(std::any_of(hostile.cbegin(), hostile.cend(), [&](const auto &h) { return h.entry == unsafe.entry; }),
                    "an unsafe entry is a hostile one");
    char buf[4096];
    for (const stemship::io::ZipEntry &entry : archive->entries()) {
        // Small cap: fuzzing looks for memory errors, not at how fast a large entry inflates.
        std::unique_ptr<QIODevice> device = archive->openEntry(entry.name, nullptr, std::uint64_t(1) << 20);
        if (!device)
            continue;
        qint64 total = 0;
        while (total < (qint64(1) << 20)) {
            const qint64 n = device->read(buf, sizeof buf);
            if (n <= 0)
                break;
            total += n;
        }
        FUZZ_EXPECT(std::uint64_t(total) <= entry.size, "an entry's device yields no more than its declared size");
        device->seek(device->size() / 2);
        device->seek(0);
        (void)device->read(buf, 16);
    }
    return 0;
}
