#include "gain/resampler.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using namespace stemship::gain;

namespace {
// Streams `in` through the resampler in blocks of `block` frames and returns everything it produced.
std::vector<float> stream(Resampler &r, const std::vector<float> &in, int channels, std::size_t block)
{
    std::vector<float> out, buffer(r.maxOutputFrames() * std::size_t(channels));
    const std::size_t frames = in.size() / std::size_t(channels);
    for (std::size_t pos = 0; pos < frames; pos += block) {
        const std::size_t n = std::min(block, frames - pos);
        const std::size_t got = r.process(in.data() + pos * std::size_t(channels), n, buffer.data());
        out.insert(out.end(), buffer.begin(), buffer.begin() + std::ptrdiff_t(got * std::size_t(channels)));
    }
    for (std::size_t got; (got = r.flush(buffer.data())) > 0;)
        out.insert(out.end(), buffer.begin(), buffer.begin() + std::ptrdiff_t(got * std::size_t(channels)));
    return out;
}
}  // namespace

// Resampler: exact lengths, sample-exact alignment of a click, level preserved, pass-through.
class TestResampler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exactLengthAndAlignment_data()
    {
        QTest::addColumn<int>("inRate");
        QTest::addColumn<int>("outRate");
        QTest::addColumn<int>("block");
        QTest::newRow("44.1k->48k") << 44100 << 48000 << 4096;
        QTest::newRow("96k->48k") << 96000 << 48000 << 1000;
        QTest::newRow("48k->44.1k") << 48000 << 44100 << 4096;
        QTest::newRow("22.05k->48k odd blocks") << 22050 << 48000 << 333;
        QTest::newRow("48k->48k") << 48000 << 48000 << 4096;
    }
    void exactLengthAndAlignment()
    {
        QFETCH(int, inRate);
        QFETCH(int, outRate);
        QFETCH(int, block);
        const int channels = 2;
        const std::int64_t frames = std::int64_t(inRate) * 3 + 17;
        std::vector<float> in(std::size_t(frames * channels), 0.0f);
        const std::int64_t clickIn = std::int64_t(inRate) * 2;  // exactly 2 s
        in[std::size_t(clickIn * channels)] = in[std::size_t(clickIn * channels + 1)] = 0.5f;
        Resampler r(inRate, outRate, channels, std::size_t(block));
        QVERIFY(r.ok());
        const auto out = stream(r, in, channels, std::size_t(block));
        const std::int64_t outFrames = std::int64_t(out.size()) / channels;
        QCOMPARE(outFrames, Resampler::outputLength(frames, inRate, outRate));
        QCOMPARE(outFrames, std::llround(double(frames) * outRate / inRate));
        std::int64_t peak = 0;
        for (std::int64_t i = 0; i < outFrames; ++i)
            if (std::abs(out[std::size_t(i * channels)]) > std::abs(out[std::size_t(peak * channels)]))
                peak = i;
        QCOMPARE(peak, std::int64_t(outRate) * 2);
    }

    void keepsTheLevelOfASine()
    {
        const int inRate = 44100, outRate = 48000;
        std::vector<float> in(std::size_t(inRate) * 2);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * 1000.0 * double(i) / inRate));
        Resampler r(inRate, outRate, 1, 4096);
        const auto out = stream(r, in, 1, 4096);
        double sumSq = 0;
        for (std::size_t i = 4800; i < out.size() - 4800; ++i)
            sumSq += double(out[i]) * out[i];
        const double rms = std::sqrt(sumSq / double(out.size() - 9600));
        QVERIFY(std::abs(20 * std::log10(rms / (0.5 / std::sqrt(2.0)))) < 0.01);
    }

    void longLengthsDoNotOverflow()
    {
        // 30 hours at 192 kHz.
        const std::int64_t frames = std::int64_t(192000) * 3600 * 30;
        QCOMPARE(Resampler::outputLength(frames, 192000, 48000), frames / 4);
    }
};

QTEST_GUILESS_MAIN(TestResampler)
#include "tst_resampler.moc"
