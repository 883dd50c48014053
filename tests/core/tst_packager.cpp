#include "deliverysignals.h"
#include "delivery/packager.h"
#include "delivery/stemrender.h"
#include "delivery/verifier.h"
#include "io/audioreader.h"
#include "io/ziparchive.h"
#include "metering/loudnessmeter.h"

#include <QDir>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::test;

namespace {

io::StemSource source(const QString &path) { return io::StemSource{path, path, {}}; }

std::optional<Signal> readEntry(const QString &zipPath, const QString &name)
{
    auto zip = io::ZipArchive::open(zipPath);
    if (!zip)
        return std::nullopt;
    auto reader = io::AudioReader::openDevice(zip->openEntry(name), zipPath + QLatin1Char('!') + name);
    if (!reader)
        return std::nullopt;
    Signal s{reader->info().sampleRateHz, reader->info().channels, {}};
    s.samples.resize(std::size_t(reader->info().frames * s.channels));
    if (reader->read(s.samples.data(), reader->info().frames) != reader->info().frames)
        return std::nullopt;
    return s;
}

QString notesOf(const QString &zipPath)
{
    auto zip = io::ZipArchive::open(zipPath);
    auto dev = zip ? zip->openEntry(QStringLiteral("NOTES.txt")) : nullptr;
    return dev ? QString::fromUtf8(dev->readAll()) : QString();
}

QJsonObject manifestOf(const QString &zipPath)
{
    auto zip = io::ZipArchive::open(zipPath);
    if (!zip)
        return {};
    auto dev = zip->openEntry(QStringLiteral("manifest.json"));
    return dev ? QJsonDocument::fromJson(dev->readAll()).object() : QJsonObject();
}

metering::MeterResult measure(const Signal &s)
{
    metering::MeterConfig config;
    config.sampleRateHz = s.sampleRateHz;
    config.channels = s.channels;
    metering::LoudnessMeter meter(config);
    meter.process(s.samples.data(), std::size_t(s.frames()));
    return meter.result();
}

void addClick(Signal &s, std::int64_t frame, float amplitude = 0.5f)
{
    for (int c = 0; c < s.channels; ++c)
        s.at(frame, c) = amplitude;
}

}  // namespace

// packageStems: alignment across rates and formats, gain modes, ceiling, silence, sources untouched.
class TestPackager : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_run = 0;
    QList<Signal> m_prerollRuns;

    delivery::DeliverySpec baseSpec(const QList<io::StemSource> &sources)
    {
        delivery::DeliverySpec spec;
        spec.sources = sources;
        spec.outputPath = m_dir.filePath(QStringLiteral("out-%1.zip").arg(++m_run));
        spec.version = QStringLiteral("v1");
        spec.title = QStringLiteral("Test Song");
        spec.tempoBpm = 120.0;  // 2 s bars in 4/4
        spec.jobs = 2;
        return spec;
    }

    QString write(const QString &name, const Signal &s, int format, std::optional<std::uint64_t> timeRef = {})
    {
        const QString path = m_dir.filePath(name);
        WriteOptions o;
        o.sfFormat = format;
        o.timeReferenceSamples = timeRef;
        return writeAudio(path, s, o) ? path : QString();
    }

private Q_SLOTS:
    void cacheReservationIsCappedBySourceSize()
    {
        // An honest 16-bit stereo 44.1 kHz file of 60 s: the whole float cache at 48 kHz is reserved.
        const std::int64_t frames = 60 * 44100, bytes = frames * 4 + 44;
        const std::uint64_t honest = delivery::cacheReservationBytes(bytes, frames, 44100, 48000, 2);
        QCOMPARE(honest, std::uint64_t(60 * 48000) * 2 * sizeof(float));
        // The same file claiming 2^36 frames (a FLAC's STREAMINFO can): never more than its bytes can become.
        const std::uint64_t lying = delivery::cacheReservationBytes(bytes, std::int64_t(1) << 36, 44100, 48000, 2);
        QVERIFY2(lying < std::uint64_t(bytes) * 9 + (2u << 20), qPrintable(QString::number(lying)));
        QVERIFY(lying >= honest);
        // Upsampling raises the bound with the rate; nothing known reserves nothing.
        QVERIFY(delivery::cacheReservationBytes(1000, std::int64_t(1) << 36, 8000, 384000, 1) > 1000u * 8 * 47);
        QCOMPARE(delivery::cacheReservationBytes(0, frames, 44100, 48000, 2), std::uint64_t(0));
        QCOMPARE(delivery::cacheReservationBytes(bytes, 0, 44100, 48000, 2), std::uint64_t(0));
    }

    void clickLandsOnTheSameSampleEverywhere()
    {
        // Bar one at 4 s; the click sits on bar 3 (timeline 8 s) in every stem.
        QList<io::StemSource> sources;
        // 48 kHz float BWF starting at 2 s, with sound at 2.5 s: before bar one, so one bar of preroll.
        Signal a = silence(48000, 2, 10.0);
        addClick(a, 6 * 48000);
        addClick(a, 24000, 0.25f);
        sources << source(write(QStringLiteral("a48.wav"), a, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2 * 48000));
        Signal b = silence(44100, 2, 12.0);
        addClick(b, 8 * 44100);
        sources << source(write(QStringLiteral("b44.wav"), b, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
        Signal c = silence(96000, 1, 9.0);
        addClick(c, 8 * 96000);
        sources << source(write(QStringLiteral("c96.aiff"), c, SF_FORMAT_AIFF | SF_FORMAT_PCM_24));
        Signal d = silence(48000, 2, 9.0);
        addClick(d, 8 * 48000);
        sources << source(write(QStringLiteral("d48.flac"), d, SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
        // 44.1 kHz BWF starting 7 samples after 3 s: its start falls between two 48 kHz samples.
        Signal e = silence(44100, 2, 7.0);
        addClick(e, 5 * 44100 - 7);
        sources << source(write(QStringLiteral("e44.wav"), e, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3 * 44100 + 7));
        QStringList hashes;
        for (const auto &s : sources)
            hashes << QString::fromLatin1(sha256File(s.filePath));

        delivery::DeliverySpec spec = baseSpec(sources);
        spec.barOneSeconds = 4.0;
        spec.tailSeconds = 1.0;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        QCOMPARE(result->timeline.prerollBars, 1);
        QCOMPARE(result->timeline.startFrame, std::int64_t(2 * 48000));
        // Longest end: b at 12 s (+1 s tail) -> 11 s after the start -> 6 bars.
        QCOMPARE(result->timeline.bars, 6);

        const QJsonObject manifest = manifestOf(spec.outputPath);
        QCOMPARE(manifest.value(QStringLiteral("preroll_bars")).toInt(), 1);
        QCOMPARE(manifest.value(QStringLiteral("start_s")).toDouble(), 2.0);
        QCOMPARE(manifest.value(QStringLiteral("length_frames")).toInteger(), qint64(6 * 96000));
        const QJsonArray stems = manifest.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 5);
        const std::int64_t expected = (8 - 2) * 48000;
        for (const QJsonValue &v : stems) {
            const QString file = v.toObject().value(QStringLiteral("file")).toString();
            const QString src = v.toObject().value(QStringLiteral("source")).toString();
            auto s = readEntry(spec.outputPath, file);
            QVERIFY2(s, qPrintable(file));
            QCOMPARE(s->sampleRateHz, 48000);
            QCOMPARE(s->frames(), std::int64_t(6 * 96000));
            const std::int64_t error = std::abs(peakFrame(*s) - expected);
            const bool native = src.endsWith(QLatin1String("a48.wav")) || src.endsWith(QLatin1String("d48.flac"));
            QVERIFY2(error <= (native ? 0 : 1), qPrintable(QStringLiteral("%1: click at %2, expected %3").arg(file).arg(peakFrame(*s)).arg(expected)));
        }
        // bext TimeReference: sample 0 sits at 2 s on the timeline.
        auto zip = io::ZipArchive::open(spec.outputPath);
        auto reader = io::AudioReader::openDevice(zip->openEntry(stems[0].toObject().value(QStringLiteral("file")).toString()), QStringLiteral("x"));
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().timeReferenceSamples.value_or(0), std::uint64_t(96000));
        QCOMPARE(reader->info().bitDepth.value_or(0), 24);

        for (int i = 0; i < sources.size(); ++i)
            QCOMPARE(QString::fromLatin1(sha256File(sources[i].filePath)), hashes[i]);
        QVERIFY(delivery::verifyDelivery(spec.outputPath).ok);
        // Nothing but the sources and the zip in the folder: no temporaries.
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral(".*stemship-tmp*")}, QDir::AllEntries | QDir::Hidden).isEmpty());
    }

    void balancedKeepsTheMix()
    {
        QList<io::StemSource> sources;
        const double peaks[] = {-6.0, -12.0, -20.0};
        for (int i = 0; i < 3; ++i)
            sources << source(write(QStringLiteral("bal%1.wav").arg(i), programme(44100, 2, 6.0, 11u + i, peaks[i]), SF_FORMAT_WAV | SF_FORMAT_FLOAT));
        delivery::DeliverySpec spec = baseSpec(sources);
        spec.gainMode = gain::GainMode::Balanced;
        spec.targetDb = -18.0;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        std::vector<double> sourceRms, deliveredRms, deliveredPeak;
        for (const auto &stem : result->stems) {
            // The manifest's source is the file's name (relative to the argument), never the sender's path.
            QCOMPARE(stem.source, QStringLiteral("bal%1.wav").arg(sourceRms.size()));
            const auto source = readAudio(m_dir.filePath(stem.source));
            QVERIFY2(source, qPrintable(stem.source));
            sourceRms.push_back(measure(*source).rmsDbfs);
            const auto delivered = measure(*readEntry(spec.outputPath, stem.file));
            deliveredRms.push_back(delivered.rmsDbfs);
            deliveredPeak.push_back(delivered.samplePeakDbfs);
            QCOMPARE(stem.gainDb, result->stems.front().gainDb);
        }
        for (std::size_t i = 1; i < sourceRms.size(); ++i)
            QVERIFY(std::abs((deliveredRms[i] - deliveredRms[0]) - (sourceRms[i] - sourceRms[0])) < 0.1);
        QVERIFY(std::abs(*std::max_element(deliveredPeak.begin(), deliveredPeak.end()) - -18.0) < 0.1);
    }

    void perStemModesHitTheirTargets_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<double>("target");
        QTest::newRow("peak") << int(gain::GainMode::Peak) << -20.0;
        QTest::newRow("rms") << int(gain::GainMode::Rms) << -30.0;
        QTest::newRow("lufs") << int(gain::GainMode::Lufs) << -32.0;
    }
    void perStemModesHitTheirTargets()
    {
        QFETCH(int, mode);
        QFETCH(double, target);
        QList<io::StemSource> sources;
        const double peaks[] = {-3.0, -15.0, -30.0};
        const int rates[] = {44100, 48000, 96000};
        for (int i = 0; i < 3; ++i)
            sources << source(write(QStringLiteral("m%1-%2.wav").arg(mode).arg(i), programme(rates[i], 2, 5.0, 3u + i, peaks[i]), SF_FORMAT_WAV | SF_FORMAT_PCM_24));
        delivery::DeliverySpec spec = baseSpec(sources);
        spec.gainMode = gain::GainMode(mode);
        spec.targetDb = target;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        for (const auto &stem : result->stems) {
            QVERIFY(!stem.limitedByCeiling);
            const auto m = measure(*readEntry(spec.outputPath, stem.file));
            const double got = mode == int(gain::GainMode::Peak) ? m.samplePeakDbfs : mode == int(gain::GainMode::Rms) ? m.rmsDbfs : m.integratedLufs;
            QVERIFY2(std::abs(got - target) < 0.1, qPrintable(QStringLiteral("%1: %2").arg(stem.file).arg(got)));
        }
    }

    // Writing each stem right after measuring it (the headers fix the timeline: every stem starts at or after bar
    // one) gives the very same delivery as measuring all first: the same samples, gains and levels.
    void streamingGivesTheSameDelivery_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("none") << int(gain::GainMode::None);
        QTest::newRow("peak") << int(gain::GainMode::Peak);
        QTest::newRow("lufs") << int(gain::GainMode::Lufs);
    }
    void streamingGivesTheSameDelivery()
    {
        QFETCH(int, mode);
        QList<io::StemSource> sources;
        const int rates[] = {44100, 48000, 96000, 48000};
        QStringList paths;
        const int formats[] = {SF_FORMAT_WAV | SF_FORMAT_FLOAT, SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_AIFF | SF_FORMAT_PCM_24,
                               SF_FORMAT_FLAC | SF_FORMAT_PCM_24};
        for (int i = 0; i < 4; ++i) {
            // Starts at 3.5 s and 2 s on the timeline (BWF) or 0, bar one at 0: no stem can sound before it.
            const std::optional<std::uint64_t> start = i == 0 ? std::optional<std::uint64_t>(std::uint64_t(3.5 * rates[i]))
                : i == 1 ? std::optional<std::uint64_t>(2 * rates[i]) : std::nullopt;
            paths << write(QStringLiteral("s%1-%2.%3").arg(mode).arg(i).arg(i == 2 ? QStringLiteral("aiff") : i == 3 ? QStringLiteral("flac") : QStringLiteral("wav")),
                           programme(rates[i], i == 1 ? 1 : 2, 4.0 + i, 40u + i, -6.0 - 3 * i), formats[i], start);
            QVERIFY(!paths.constLast().isEmpty());
            sources << source(paths.constLast());
        }
        delivery::DeliverySpec spec = baseSpec(sources);
        spec.gainMode = gain::GainMode(mode);
        spec.targetDb = mode == int(gain::GainMode::Peak) ? -18.0 : -30.0;
        auto streamed = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(streamed.ok(), qPrintable(streamed.ok() ? QString() : streamed.error().line()));
        QVERIFY(streamed->streamed);
        delivery::DeliverySpec twoPass = baseSpec(sources);
        twoPass.gainMode = spec.gainMode;
        twoPass.targetDb = spec.targetDb;
        twoPass.allowStreaming = false;
        auto measuredFirst = delivery::packageStems(twoPass, {}, CancelToken());
        QVERIFY2(measuredFirst.ok(), qPrintable(measuredFirst.ok() ? QString() : measuredFirst.error().line()));
        QVERIFY(!measuredFirst->streamed);
        QCOMPARE(streamed->timeline.lengthFrames, measuredFirst->timeline.lengthFrames);
        QCOMPARE(streamed->timeline.startFrame, measuredFirst->timeline.startFrame);
        QCOMPARE(streamed->stems.size(), measuredFirst->stems.size());
        for (qsizetype i = 0; i < streamed->stems.size(); ++i) {
            const auto &a = streamed->stems.at(i), &b = measuredFirst->stems.at(i);
            QCOMPARE(a.file, b.file);
            QCOMPARE(a.gainDb, b.gainDb);
            QCOMPARE(a.truePeakDbtp, b.truePeakDbtp);
            QCOMPARE(a.integratedLufs, b.integratedLufs);
            const auto x = readEntry(spec.outputPath, a.file), y = readEntry(twoPass.outputPath, b.file);
            QVERIFY(x && y);
            QVERIFY2(x->samples == y->samples, qPrintable(a.file));  // dither included: bit for bit
        }
        QVERIFY(delivery::verifyDelivery(spec.outputPath).ok);
    }

    // Stems that start before bar one: the preroll comes from reading them up to bar one, and streaming gives the
    // same delivery as two passes. A resampled onset right on a bar line rings ahead of it, into the bar before:
    // the read cannot see that, the check after pass 1 does, and the job runs again in two passes.
    void streamingPlacesThePreroll()
    {
        // Bar one at 4 s (2 s bars); a pickup click at 3.25 s in a 48 kHz stem, sound from 0 in a 44.1 kHz one.
        Signal pickup = clickAt(48000, 2, 8.0, std::int64_t(3.25 * 48000));
        addClick(pickup, 6 * 48000);
        const QString a = write(QStringLiteral("pre-a.wav"), pickup, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
        const QString b = write(QStringLiteral("pre-b.wav"), programme(44100, 2, 7.0, 61u, -9.0), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        for (const bool stream : {true, false}) {
            delivery::DeliverySpec spec = baseSpec({source(a), source(b)});
            spec.gainMode = gain::GainMode::Peak;
            spec.barOneSeconds = 4.0;
            spec.allowStreaming = stream;
            auto result = delivery::packageStems(spec, {}, CancelToken());
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
            QCOMPARE(result->streamed, stream);
            QCOMPARE(result->timeline.prerollBars, 2);  // the 44.1 kHz stem sounds from 0: two bars before bar one
            QCOMPARE(result->timeline.startFrame, std::int64_t(0));
            // NOTES says where bar one lies in the files, in words: 2 bars of 96000 samples before it.
            const QString notes = notesOf(spec.outputPath);
            QVERIFY(result->timeline.bars > 1);
            QVERIFY2(notes.contains(QStringLiteral("starts at sample 0 = 2 bars before bar one (bar one at sample 192000) and runs %1 bars (")
                                        .arg(result->timeline.bars)), qPrintable(notes));
            m_prerollRuns.append(*readEntry(spec.outputPath, result->stems.at(0).file));
        }
        QVERIFY(m_prerollRuns.at(0).samples == m_prerollRuns.at(1).samples);

        // A 44.1 kHz click exactly on the bar line 2 s before bar one: its resampled pre-ringing falls in the bar
        // before, which only pass 1 sees.
        const QString c = write(QStringLiteral("pre-c.wav"), clickAt(44100, 1, 6.0, 2 * 44100), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        delivery::DeliverySpec onTheLine = baseSpec({source(c)});
        onTheLine.gainMode = gain::GainMode::Peak;
        onTheLine.barOneSeconds = 4.0;
        auto ringing = delivery::packageStems(onTheLine, {}, CancelToken());
        QVERIFY2(ringing.ok(), qPrintable(ringing.ok() ? QString() : ringing.error().line()));
        QVERIFY(!ringing->streamed);
        QCOMPARE(ringing->timeline.prerollBars, 2);  // the click's bar, and the one its ringing reaches into
        onTheLine.allowStreaming = false;
        auto twoPass = delivery::packageStems(onTheLine, {}, CancelToken());
        QVERIFY(twoPass.ok());
        QCOMPARE(twoPass->timeline.prerollBars, ringing->timeline.prerollBars);
    }

    // A header that promises more than the file holds (a FLAC's total): streaming notices and packages again the
    // usual way, with the real length. So does a stem over the ceiling in none.
    void headersThatDoNotHoldFallBack()
    {
        const QString good = write(QStringLiteral("fb-good.wav"), programme(48000, 2, 3.0, 51u, -10.0), SF_FORMAT_WAV | SF_FORMAT_PCM_24);
        const QString flac = write(QStringLiteral("fb-lying.flac"), programme(48000, 2, 2.0, 52u, -10.0), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
        const QByteArray honest = readFile(flac);
        // STREAMINFO's total samples: the low 4 bits of byte 21 and bytes 22-25 (fLaC, 4-byte block header, 13 bytes in).
        QVERIFY(honest.startsWith("fLaC") && honest.size() > 26);
        auto claim = [&](std::uint64_t total) {
            QByteArray bytes = honest;
            bytes[21] = char((std::uint8_t(bytes[21]) & 0xF0) | ((total >> 32) & 0x0F));
            for (int k = 0; k < 4; ++k)
                bytes[22 + k] = char((total >> (24 - 8 * k)) & 0xFF);
            return writeFile(flac, bytes);
        };
        // 2^36 - 1 frames (no WAV could hold them: found before pass 1), then 4 s where there are 2 (found after).
        for (const std::uint64_t total : {(std::uint64_t(1) << 36) - 1, std::uint64_t(4 * 48000)}) {
            QVERIFY(claim(total));
            delivery::DeliverySpec spec = baseSpec({source(good), source(flac)});
            spec.gainMode = gain::GainMode::Peak;
            spec.targetDb = -18.0;
            auto result = delivery::packageStems(spec, {}, CancelToken());
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
            QVERIFY(!result->streamed);
            QCOMPARE(result->timeline.lengthFrames, std::int64_t(2 * 96000));  // 3 s of the longest stem: two 2 s bars
            const auto verified = delivery::verifyDelivery(spec.outputPath);
            QStringList problems;
            for (const Error &e : verified.problems)
                problems << e.line();
            QVERIFY2(verified.ok, qPrintable(problems.join(QLatin1Char('\n'))));
        }

        // In none, a stem over the ceiling lowers the common gain of all: the streamed 0 dB does not hold.
        const QString hot = write(QStringLiteral("fb-hot.wav"), programme(48000, 2, 2.0, 53u, 0.5), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        delivery::DeliverySpec none = baseSpec({source(good), source(hot)});
        auto lowered = delivery::packageStems(none, {}, CancelToken());
        QVERIFY2(lowered.ok(), qPrintable(lowered.ok() ? QString() : lowered.error().line()));
        QVERIFY(!lowered->streamed);
        QVERIFY(lowered->stems.at(0).gainDb < -1.4);  // true peak +0.5 dBFS or more, ceiling -1 dBTP
        QCOMPARE(lowered->stems.at(0).gainDb, lowered->stems.at(1).gainDb);
        QVERIFY(lowered->stems.at(1).truePeakDbtp <= -1.0 + 1e-9);
    }

    void ceilingWinsAndSilenceIsDelivered()
    {
        QList<io::StemSource> sources;
        // A sparse signal: low RMS, high peaks. Raising its RMS to -6 dBFS would push it far over the ceiling.
        Signal clicks = silence(48000, 1, 4.0);
        for (int k = 0; k < 40; ++k)
            clicks.at(k * 4800 + 100, 0) = 0.1f;
        sources << source(write(QStringLiteral("sparse.wav"), clicks, SF_FORMAT_WAV | SF_FORMAT_FLOAT));
        sources << source(write(QStringLiteral("quiet.wav"), silence(48000, 2, 3.0), SF_FORMAT_WAV | SF_FORMAT_PCM_24));
        delivery::DeliverySpec spec = baseSpec(sources);
        spec.gainMode = gain::GainMode::Rms;
        spec.targetDb = -6.0;
        spec.ceilingDbtp = -2.0;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        QCOMPARE(result->stems.size(), 2);
        const QJsonArray stems = manifestOf(spec.outputPath).value(QStringLiteral("stems")).toArray();
        for (const QJsonValue &v : stems) {
            const QJsonObject o = v.toObject();
            const auto s = readEntry(spec.outputPath, o.value(QStringLiteral("file")).toString());
            QVERIFY(s);
            const auto m = measure(*s);
            if (o.value(QStringLiteral("source")).toString().endsWith(QLatin1String("sparse.wav"))) {
                QVERIFY(o.value(QStringLiteral("limited_by_ceiling")).toBool());
                QVERIFY2(m.truePeakDbtp <= -2.0 + 0.05, qPrintable(QString::number(m.truePeakDbtp)));
                QVERIFY(m.truePeakDbtp > -2.0 - 0.1);
            } else {
                QVERIFY(o.value(QStringLiteral("silent")).toBool());
                QCOMPARE(o.value(QStringLiteral("gain_db")).toDouble(), 0.0);
                QVERIFY(o.value(QStringLiteral("sample_peak_dbfs")).isNull());
                QCOMPARE(m.samplePeakDbfs, -INFINITY);
            }
        }
        QVERIFY(result->notes.contains(QStringLiteral("Limited by the true-peak ceiling")));
        QVERIFY(result->notes.contains(QStringLiteral("Silent stems")));
    }

    void referenceNullsAgainstTheStems()
    {
        Signal s1 = programme(48000, 2, 4.0, 7u, -12.0), s2 = programme(48000, 2, 4.0, 8u, -12.0);
        Signal mix = s1;
        for (std::size_t i = 0; i < mix.samples.size(); ++i)
            mix.samples[i] += s2.samples[i];
        const QString a = write(QStringLiteral("n1.wav"), s1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000);
        const QString b = write(QStringLiteral("n2.wav"), s2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000);
        delivery::DeliverySpec spec = baseSpec({source(a), source(b)});
        spec.referencePath = write(QStringLiteral("mix.wav"), mix, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000);
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        QVERIFY(result->reference);
        QVERIFY(result->reference->nullResidualDbfs);
        // Compared before delivery gain and dither (CLI-CONTRACT): float stems that sum to the float mix null exactly.
        QVERIFY2(*result->reference->nullResidualDbfs < -120.0, qPrintable(QString::number(*result->reference->nullResidualDbfs)));
        const QJsonObject ref = manifestOf(spec.outputPath).value(QStringLiteral("reference")).toObject();
        QCOMPARE(ref.value(QStringLiteral("sha256")).toString().size(), 64);
        QVERIFY(ref.value(QStringLiteral("null_residual_db")).isNull() || ref.value(QStringLiteral("null_residual_db")).toDouble() < -120.0);
        QCOMPARE(ref.value(QStringLiteral("null_passed")).toBool(), true);
    }

    void unreadableStopsOrIsSkipped()
    {
        const QString good = write(QStringLiteral("good.wav"), programme(48000, 2, 2.0, 1u), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        const QString bad = m_dir.filePath(QStringLiteral("bad.wav"));
        QVERIFY(writeFile(bad, QByteArray(4000, 'x')));
        delivery::DeliverySpec spec = baseSpec({source(good), source(bad)});
        auto failed = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().file, bad);
        QVERIFY(!QFileInfo::exists(spec.outputPath));
        spec.skipUnreadable = true;
        auto skipped = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(skipped.ok(), qPrintable(skipped.ok() ? QString() : skipped.error().line()));
        QCOMPARE(skipped->skipped.size(), 1);
        QCOMPARE(manifestOf(spec.outputPath).value(QStringLiteral("skipped")).toArray().size(), 1);
    }

    void cancelLeavesNothing()
    {
        const QString a = write(QStringLiteral("long.wav"), programme(44100, 2, 20.0, 5u), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        delivery::DeliverySpec spec = baseSpec({source(a)});
        QVERIFY(writeFile(spec.outputPath, QByteArrayLiteral("earlier delivery")));
        CancelToken cancel;
        auto result = delivery::packageStems(spec, [&](double f, const QString &) { if (f > 0.1) cancel.cancel(); }, cancel);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(readFile(spec.outputPath), QByteArrayLiteral("earlier delivery"));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral(".*stemship-tmp*")}, QDir::AllEntries | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPackager)
#include "tst_packager.moc"
