#include "audio/playbackengine.h"

#include "audio/mixdevice.h"
#include "audio/stemstreamer.h"
#include "delivery/timeline.h"
#include "gain/resampler.h"
#include "io/audioreader.h"
#include "io/stemsource.h"
#include "metering/channellayout.h"

#include <QAudioDevice>
#include <QFileInfo>
#include <QHash>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>

namespace stemship::gui {

namespace {

// About 1.4 s of read-ahead per stem at 48 kHz: far more than any device buffer, small enough for 64 stems.
constexpr std::size_t kRingFrames = 65536;
constexpr int kWatchIntervalMs = 15;

metering::MeterConfig meterConfig(int sampleRateHz)
{
    metering::MeterConfig config;
    config.sampleRateHz = sampleRateHz;
    config.channels = kMixChannels;
    config.maxBlockFrames = std::size_t(MixDevice::kChunkFrames);
    return config;
}

// Core's labels for the stem's layout (L R C LFE Ls Rs ...); channel numbers when the layout is unknown.
QStringList labelsFor(int channels, std::uint32_t channelMask)
{
    const auto labels = metering::channelLabels(metering::layoutOf(channels, channelMask));
    QStringList out;
    for (int c = 0; c < channels; ++c)
        out.append(std::size_t(c) < labels.size() ? QString::fromLatin1(labels[std::size_t(c)]) : QString::number(c + 1));
    return out;
}

}  // namespace

PlaybackEngine::PlaybackEngine(QObject *parent) : QObject(parent), m_audio(new AudioOutput)
{
    m_watch.setInterval(kWatchIntervalMs);
    connect(&m_watch, &QTimer::timeout, this, &PlaybackEngine::onWatch);
    m_meter = std::make_shared<metering::LoudnessMeter>(meterConfig(48000));
    // The sink and the silent clock live on their own thread: Qt pulls a sink's device on the sink's thread, so
    // a GUI thread busy painting or loading cannot drop audio.
    m_audioThread.setObjectName(QStringLiteral("Stemship audio"));
    m_audio->moveToThread(&m_audioThread);
    connect(&m_audioThread, &QThread::finished, m_audio, &QObject::deleteLater);
    connect(m_audio, &AudioOutput::outputProblem, this, &PlaybackEngine::outputProblem);
    connect(m_audio, &AudioOutput::outputChanged, this, [this](AudioOutputKind kind, const QString &name) {
        m_output = kind;
        if (kind == Output::Device)
            m_outputName = name;
    });
    m_audioThread.start(QThread::TimeCriticalPriority);
}

PlaybackEngine::~PlaybackEngine()
{
    stop();
    m_audioThread.quit();
    m_audioThread.wait();  // the output, its sink and the last run go with the thread
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
            stem.layout = QString::fromLatin1(metering::layoutName(metering::layoutOf(info.channels, info.channelMask)));
            stem.channelLabels = labelsFor(info.channels, info.channelMask);
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
        m_meter = std::make_shared<metering::LoudnessMeter>(meterConfig(m_sampleRateHz));
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
    if (!m_run)
        return;
    for (qsizetype lane = 0; lane < m_laneStem.size(); ++lane)
        m_run->graph.lanes[std::size_t(lane)]->gain.store(effectiveGain(m_laneStem.at(lane)), std::memory_order_relaxed);
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
    // A fresh run and meter: the previous ones may still be in the audio thread's hands until it has stopped.
    m_run = std::make_shared<PlaybackRun>();
    MixGraph &graph = m_run->graph;
    graph.sampleRateHz = m_sampleRateHz;
    graph.startFrame = std::int64_t(std::llround(m_seekSeconds * m_sampleRateHz));
    graph.positionFrames.store(graph.startFrame, std::memory_order_relaxed);
    QList<io::StemSource> laneSources;
    for (int stem : std::as_const(m_laneStem)) {
        graph.lanes.push_back(std::make_unique<StemLane>(kRingFrames, m_stems.at(stem).channels));
        graph.lanes.back()->offsetFrames = m_stems.at(stem).startFrame;
        laneSources.append(m_stems.at(stem).source);
    }
    applyGains();
    m_meter = std::make_shared<metering::LoudnessMeter>(meterConfig(m_sampleRateHz));
    m_run->meter = m_meter;
    m_run->streamer = std::make_unique<StemStreamer>(graph, laneSources);
    m_run->streamer->start();
    // Only ask Qt Multimedia when a device may be used: probing starts the audio backend's own threads.
    const QAudioDevice device = hasOutputDevice() ? QMediaDevices::defaultAudioOutput() : QAudioDevice();
    QMetaObject::invokeMethod(m_audio, [audio = m_audio, run = m_run, device] { audio->start(run, device); },
                              Qt::QueuedConnection);
    m_playing = true;
    m_watch.start();
    Q_EMIT playingChanged(true);
}

void PlaybackEngine::stop()
{
    if (!m_playing)
        return;
    m_seekSeconds = positionSeconds();
    m_watch.stop();
    // Never wait for the audio thread: ask the reader to end, hand the run to the audio thread's stop (which
    // releases it after the sink has stopped pulling, joining the reader there) and return.
    m_run->streamer->requestStop();
    QMetaObject::invokeMethod(
        m_audio,
        [audio = m_audio, run = std::move(m_run)]() mutable {
            audio->stop();
            run.reset();
        },
        Qt::QueuedConnection);
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
    if (m_run && m_sampleRateHz > 0)
        return double(m_run->graph.positionFrames.load(std::memory_order_relaxed)) / m_sampleRateHz;
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

void PlaybackEngine::onWatch()
{
    if (m_run && m_run->graph.drained.load(std::memory_order_acquire)) {
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
    if (!m_run)
        return peaks;
    for (int c = 0; c < kMixChannels; ++c)
        peaks[std::size_t(c)] = m_run->graph.channelPeak[c].load(std::memory_order_relaxed);
    m_run->graph.channelPeakTaken.store(true, std::memory_order_relaxed);
    return peaks;
}

StemLane *PlaybackEngine::laneOf(int stem) const
{
    const auto lane = m_laneStem.indexOf(stem);
    return m_run && lane >= 0 ? m_run->graph.lanes[std::size_t(lane)].get() : nullptr;
}

float PlaybackEngine::takeStemPeak(int stem)
{
    StemLane *lane = laneOf(stem);
    return lane ? takePeak(lane->peak, lane->peakTaken) : 0.0f;
}

std::vector<float> PlaybackEngine::takeStemChannelPeaks(int stem)
{
    std::vector<float> peaks(std::size_t(stem >= 0 && stem < m_stems.size() ? m_stems.at(stem).channels : 0), 0.0f);
    StemLane *lane = laneOf(stem);
    if (!lane)
        return peaks;
    for (std::size_t c = 0; c < peaks.size(); ++c)
        peaks[c] = lane->channelPeaks[c].load(std::memory_order_relaxed);
    lane->channelPeaksTaken.store(true, std::memory_order_relaxed);
    return peaks;
}

std::uint64_t PlaybackEngine::underrunFrames() const
{
    return m_run ? m_run->graph.underrunFrames.load(std::memory_order_relaxed) : 0;
}

Qt::HANDLE PlaybackEngine::lastPullThread() const
{
    return m_audio->mixDevice()->lastReaderThread();
}

}  // namespace stemship::gui
