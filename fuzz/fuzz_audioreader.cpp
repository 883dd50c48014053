// Bytes -> QBuffer -> AudioReader::openDevice -> read everything, as a zip entry would arrive.

#include "fuzzexpect.h"
#include "io/audioreader.h"

#include <QBuffer>

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    buffer->open(QIODevice::ReadOnly);
    auto reader = stemship::io::AudioReader::openDevice(std::move(buffer), QStringLiteral("fuzz.wav"));
    // Documented: a clean error with an issue code, or a sane header and never more frames than it declares.
    if (!reader.ok()) {
        FUZZ_EXPECT(!reader.error().is(stemship::ErrorCode::None) && !reader.error().what.isEmpty(), "an error carries a code and a message");
        return 0;
    }
    const stemship::io::AudioInfo &info = reader->info();
    FUZZ_EXPECT(info.channels >= 1 && info.channels <= 64, "channels in 1..64");
    FUZZ_EXPECT(info.sampleRateHz >= 1000 && info.sampleRateHz <= 768000, "rate in 1 kHz..768 kHz");
    FUZZ_EXPECT(info.frames >= 0, "frames not negative");
    std::vector<float> block(std::size_t(1024) * std::size_t(info.channels));
    // Bounded: a lying header may promise far more frames than the input holds.
    std::int64_t total = 0;
    for (int i = 0; i < 4096; ++i) {
        const std::int64_t got = reader->read(block.data(), 1024);
        if (got <= 0)
            break;
        total += got;
    }
    FUZZ_EXPECT(total <= reader->info().frames, "no more frames delivered than declared");
    if (total > 0)
        reader->seek(total / 2);
    (void)reader->read(block.data(), 1024);
    return 0;
}
