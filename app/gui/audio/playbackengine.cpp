#include "audio/playbackengine.h"

#include "io/stemsource.h"
#include "audio/stemstreamer.h"
#include "delivery/timeline.h"
#include "gain/resampler.h"
#include "io/audioreader.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QFileInfo>
#include <QHash>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>

namespace stemship::gui {

namespace {

// About 1.4 s of read-ahead per stem at 48 kHz: far more than any device buffer, small enough for 64 stems.
constexpr std::size_t kRingFrames = 65536;
constexpr int kSilentClockIntervalMs = 10;
constexpr int kWatchIntervalMs = 15;

metering::MeterConfig meterConfig(int sampleRateHz)
{
    metering::MeterConfig config;
    config.sampleRateHz = sampleRateHz;
    config.channels = kMixChannels;
    config.maxBlockFrames = std::size_t(MixDevice::kChunkFrames);
    return config;
}

}  // namespace

PlaybackEngine::PlaybackEngine(QObject *parent) : QObject(parent), m_device(new MixDevice(this))
{
    m_watch.setInterval(kWatchIntervalMs);
    connect(&m_watch, &QTimer::timeout, this, &PlaybackEngine::onWatch);
    m_silentClock.setTimerType(Qt::PreciseTimer);
    m_silentClock.setInterval(kSilentClockIntervalMs);
    connect(&m_silentClock, &QTimer::timeout, this, &PlaybackEngine::onSilentTick);
    m_meter = std::make_unique<metering::LoudnessMeter>(meterConfig(48000));
}

PlaybackEngine::~PlaybackEngine()
{
    stop();
}

QList<Error> PlaybackEngine::setStems(const QList<io::StemSource> &sources)
{
    stop();
    m_stems.clear();
    m_laneStem.clear();
    m_seekSeconds = 0.0;
    QList<Error> errors;
    QHash<int, int> rateCounts;
    QList<std::optional<std::uint64_t>> timeReferences;
    for (const io::StemSource &source : sources) {
        PlaybackStem stem;
        stem.source = source;
        stem.path = source.displayPath;
        stem.name = QFileInfo(source.zipEntry.isEmpty() ? source.filePath : source.zipEntry).completeBaseName();
        auto reader = io::openStemSource(source);
        if (!reader.ok()) {
            stem.problem = reader.error().what;
            errors.append(reader.error());
        } else {
            const io::AudioInfo &info = reader->info();
            stem.sampleRateHz = info.sampleRateHz;
            stem.channels = info.channels;
            stem.frames = info.frames;
            stem.playable = true;
            ++rateCounts[info.sampleRateHz];
        }
        timeReferences.append(reader.ok() ? reader->info().timeReferenceSamples : std::nullopt);
        m_stems.append(stem);
    }
    // The session plays at the set's most common rate; the others are resampled for listening (worker
    // thread, soxr). The audit reports the mismatch; here it only has to sound right.
    int bestCount = 0;
    for (auto it = rateCounts.cbegin(); it != rateCounts.cend(); ++it)
        if (it.value() > bestCount || (it.value() == bestCount && it.key() > m_sampleRateHz)) {
            bestCount = it.value();
            m_sampleRateHz = it.key();
        }
    for (qsizetype i = 0; i < m_stems.size(); ++i) {
        PlaybackStem &stem = m_stems[i];
        if (!stem.playable)
            continue;
        if (stem.sampleRateHz != m_sampleRateHz) {
            stem.problem = QStringLiteral("resampled from %1 Hz for listening").arg(stem.sampleRateHz);
            stem.frames = gain::Resampler::outputLength(stem.frames, stem.sampleRateHz, m_sampleRateHz);
        }
        m_laneStem.append(int(i));
    }
    placeOnTimeline(timeReferences);
    if (m_meter->config().sampleRateHz != double(m_sampleRateHz))
        m_meter = std::make_unique<metering::LoudnessMeter>(meterConfig(m_sampleRateHz));
    Q_EMIT stemsChanged();
    return errors;
}

void PlaybackEngine::placeOnTimeline(const QList<std::optional<std::uint64_t>> &timeReferences)
{
    // Each stem at its BWF start converted to the session rate with the delivery's own rule
    // (delivery::timelineFrame), so what plays here lines up as the delivered files will. The Listen timeline
    // starts with the earliest stem, not at the session's zero (which may be an hour before it).
    std::optional<std::int64_t> earliest;
    for (qsizetype i = 0; i < m_stems.size(); ++i) {
        PlaybackStem &stem = m_stems[i];
        const auto &reference = timeReferences.value(i);
        stem.startFrame = stem.playable && reference ? delivery::timelineFrame(*reference, stem.sampleRateHz, m_sampleRateHz) : 0;
        if (stem.playable)
            earliest = earliest ? std::min(*earliest, stem.startFrame) : stem.startFrame;
    }
    for (PlaybackStem &stem : m_stems) {
        if (!stem.playable)
            continue;
        stem.startFrame -= earliest.value_or(0);
        if (stem.startFrame > 0) {
            const QString placed = QStringLiteral("starts at %1 s (BWF)").arg(double(stem.startFrame) / m_sampleRateHz, 0, 'f', 3);
            stem.problem = stem.problem.isEmpty() ? placed : placed + QStringLiteral("; ") + stem.problem;
        }
    }
}

double PlaybackEngine::durationSeconds() const
{
    std::int64_t frames = 0;
    for (const PlaybackStem &stem : m_stems)
        if (stem.playable)
            frames = std::max(frames, stem.startFrame + stem.frames);
    return m_sampleRateHz > 0 ? double(frames) / m_sampleRateHz : 0.0;
}

float PlaybackEngine::effectiveGain(int stem) const
{
    const bool anySolo = std::any_of(m_stems.begin(), m_stems.end(), [](const PlaybackStem &s) { return s.soloed; });
    const PlaybackStem &s = m_stems.at(stem);
    const bool audible = anySolo ? s.soloed : !s.muted;
    return audible ? float(metering::dbToLinear(s.gainDb)) : 0.0f;
}

void PlaybackEngine::applyGains()
{
    if (!m_graph)
        return;
    for (qsizetype lane = 0; lane < m_laneStem.size(); ++lane)
        m_graph->lanes[std::size_t(lane)]->gain.store(effectiveGain(m_laneStem.at(lane)), std::memory_order_relaxed);
}

void PlaybackEngine::setMuted(int stem, bool muted)
{
    if (stem < 0 || stem >= m_stems.size())
        return;
    m_stems[stem].muted = muted;
    applyGains();
}

void PlaybackEngine::setSoloed(int stem, bool soloed)
{
    if (stem < 0 || stem >= m_stems.size())
        return;
    m_stems[stem].soloed = soloed;
    applyGains();
}

void PlaybackEngine::setGainDb(int stem, double gainDb)
{
    if (stem < 0 || stem >= m_stems.size())
        return;
    m_stems[stem].gainDb = gainDb;
    applyGains();
}

void PlaybackEngine::soloOnly(int stem)
{
    for (qsizetype i = 0; i < m_stems.size(); ++i)
        m_stems[i].soloed = (i == stem);
    applyGains();
}

void PlaybackEngine::clearSoloAndMute()
{
    for (PlaybackStem &stem : m_stems)
        stem.soloed = stem.muted = false;
    applyGains();
}

void PlaybackEngine::play()
{
    if (m_playing)
        return;
    m_graph = std::make_unique<MixGraph>();
    m_graph->sampleRateHz = m_sampleRateHz;
    m_graph->startFrame = std::int64_t(std::llround(m_seekSeconds * m_sampleRateHz));
    m_graph->positionFrames.store(m_graph->startFrame, std::memory_order_relaxed);
    QList<io::StemSource> laneSources;
    for (int stem : std::as_const(m_laneStem)) {
        m_graph->lanes.push_back(std::make_unique<StemLane>(kRingFrames));
        m_graph->lanes.back()->offsetFrames = m_stems.at(stem).startFrame;
        laneSources.append(m_stems.at(stem).source);
    }
    applyGains();
    m_meter->reset();
    m_device->attach(m_graph.get(), m_meter.get(),
                     MixDevice::SampleFormat::Float32);  // the format is settled in startOutput()
    m_streamer = std::make_unique<StemStreamer>(*m_graph, laneSources);
    m_streamer->start();
    m_playing = true;
    m_outputStarted = false;
    m_primeWaitTicks = 0;
    m_watch.start();
    Q_EMIT playingChanged(true);
}

void PlaybackEngine::stop()
{
    if (!m_playing)
        return;
    m_seekSeconds = positionSeconds();
    m_watch.stop();
    stopOutput();
    m_device->detach();
    if (m_streamer)
        m_streamer->stop();
    m_streamer.reset();
    m_graph.reset();
    m_playing = false;
    Q_EMIT playingChanged(false);
}

void PlaybackEngine::togglePlayback()
{
    if (m_playing)
        stop();
    else
        play();
}

void PlaybackEngine::seek(double seconds)
{
    const bool wasPlaying = m_playing;
    stop();
    m_seekSeconds = std::clamp(seconds, 0.0, durationSeconds());
    if (wasPlaying)
        play();
}

double PlaybackEngine::positionSeconds() const
{
    if (m_graph && m_sampleRateHz > 0)
        return double(m_graph->positionFrames.load(std::memory_order_relaxed)) / m_sampleRateHz;
    return m_seekSeconds;
}

bool PlaybackEngine::hasOutputDevice() const
{
    return !m_forceSilentClock && !QMediaDevices::audioOutputs().isEmpty();
}

QString PlaybackEngine::outputDescription() const
{
    if (m_output == Output::Device && !m_outputName.isEmpty())
        return m_outputName;
    if (hasOutputDevice())
        if (const QAudioDevice device = QMediaDevices::defaultAudioOutput(); !device.isNull())
            return device.description();
    return QStringLiteral("No audio output: meters run on a silent clock");
}

void PlaybackEngine::startOutput()
{
    m_outputStarted = true;
    // Only ask Qt Multimedia when a device may be used: probing starts the audio backend's own threads.
    const QAudioDevice device = hasOutputDevice() ? QMediaDevices::defaultAudioOutput() : QAudioDevice();
    if (!device.isNull()) {
        QAudioFormat format;
        format.setSampleRate(m_sampleRateHz);
        format.setChannelCount(kMixChannels);
        format.setChannelConfig(QAudioFormat::ChannelConfigStereo);
        format.setSampleFormat(QAudioFormat::Float);
        auto sampleFormat = MixDevice::SampleFormat::Float32;
        if (!device.isFormatSupported(format)) {
            format.setSampleFormat(QAudioFormat::Int16);
            sampleFormat = MixDevice::SampleFormat::Int16;
        }
        if (device.isFormatSupported(format)) {
            m_device->attach(m_graph.get(), m_meter.get(), sampleFormat);
            m_sink = new QAudioSink(device, format, this);
            // About 100 ms of device buffer: low enough for solo/mute to feel immediate.
            m_sink->setBufferSize(qsizetype(m_sampleRateHz / 10) * m_device->bytesPerFrame());
            // Any sink error (it could not open, the device went away, a write failed) falls back to the silent
            // clock and playback goes on: the meters keep moving and the position keeps advancing.
            connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State) {
                if (!m_sink || m_sink->error() == QAudio::NoError || m_sink->error() == QAudio::UnderrunError)
                    return;
                const bool opened = m_sink->error() != QAudio::OpenError;
                Q_EMIT outputProblem(opened ? QStringLiteral("The audio output failed; meters run on a silent clock")
                                            : QStringLiteral("The audio output could not be opened; meters run on a silent clock"));
                m_sink->disconnect(this);
                m_sink->deleteLater();
                m_sink = nullptr;
                startSilentClock();
            });
            m_output = Output::Device;
            m_outputName = device.description();
            m_sink->start(m_device);
            return;
        }
        Q_EMIT outputProblem(QStringLiteral("%1 does not play %2 Hz stereo; meters run on a silent clock")
                                 .arg(device.description())
                                 .arg(m_sampleRateHz));
    }
    m_device->attach(m_graph.get(), m_meter.get(), MixDevice::SampleFormat::Float32);
    startSilentClock();
}

void PlaybackEngine::startSilentClock()
{
    m_output = Output::SilentClock;
    // Half a second of pull buffer in the device's format (it may be Int16 after a sink failed), allocated here
    // and never in the tick.
    m_silentBuffer.resize(qsizetype(m_sampleRateHz / 2) * m_device->bytesPerFrame());
    m_silentFramesPulled = 0;
    m_silentElapsed.start();
    m_silentClock.start();
}

void PlaybackEngine::stopOutput()
{
    m_silentClock.stop();
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        delete m_sink;
        m_sink = nullptr;
    }
    m_outputStarted = false;
}

void PlaybackEngine::onSilentTick()
{
    if (!m_graph)
        return;
    const std::int64_t due = m_silentElapsed.nsecsElapsed() * m_sampleRateHz / 1000000000LL;
    std::int64_t frames = due - m_silentFramesPulled;
    const std::int64_t maxFrames = m_silentBuffer.size() / m_device->bytesPerFrame();
    frames = std::min(frames, maxFrames);
    if (frames <= 0)
        return;
    m_device->read(m_silentBuffer.data(), frames * m_device->bytesPerFrame());
    m_silentFramesPulled += frames;
    if (due - m_silentFramesPulled > maxFrames)
        m_silentFramesPulled = due - maxFrames;  // after a stall, catch up no more than one buffer
}

void PlaybackEngine::onWatch()
{
    if (!m_graph)
        return;
    // Start the output once the worker has read ahead (or after ~0.5 s, to play whatever is there).
    if (!m_outputStarted && (m_graph->primed.load(std::memory_order_acquire) || ++m_primeWaitTicks > 33))
        startOutput();
    if (m_graph->drained.load(std::memory_order_acquire)) {
        stop();
        m_seekSeconds = 0.0;
        Q_EMIT finished();
    }
}

metering::LiveReadout PlaybackEngine::live() const
{
    return m_meter->live();
}

void PlaybackEngine::resetPeakHold()
{
    m_meter->resetPeakHold();
}

std::array<float, kMixChannels> PlaybackEngine::takeChannelPeaks()
{
    std::array<float, kMixChannels> peaks{0.0f, 0.0f};
    if (!m_graph)
        return peaks;
    for (int c = 0; c < kMixChannels; ++c)
        peaks[std::size_t(c)] = m_graph->channelPeak[c].load(std::memory_order_relaxed);
    m_graph->channelPeakTaken.store(true, std::memory_order_relaxed);
    return peaks;
}

float PlaybackEngine::takeStemPeak(int stem)
{
    if (!m_graph)
        return 0.0f;
    const auto lane = m_laneStem.indexOf(stem);
    if (lane < 0)
        return 0.0f;
    StemLane &l = *m_graph->lanes[std::size_t(lane)];
    return takePeak(l.peak, l.peakTaken);
}

std::uint64_t PlaybackEngine::underrunFrames() const
{
    return m_graph ? m_graph->underrunFrames.load(std::memory_order_relaxed) : 0;
}

}  // namespace stemship::gui
