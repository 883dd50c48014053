#include "audio/audiooutput.h"

#include "audio/mixdevice.h"
#include "audio/stemstreamer.h"
#include "metering/loudnessmeter.h"

#include <QAudioFormat>
#include <QAudioSink>

#include <algorithm>

namespace stemship::gui {

namespace {

constexpr int kPrimePollMs = 5;
constexpr int kPrimeWaitMaxMs = 500;  // then play whatever the reader has (a slow disk underruns, never hangs)
constexpr int kSilentClockIntervalMs = 10;

}  // namespace

PlaybackRun::~PlaybackRun() = default;

AudioOutput::AudioOutput(QObject *parent)
    : QObject(parent), m_device(new MixDevice(this)), m_primeWait(this), m_silentClock(this)
{
    m_primeWait.setInterval(kPrimePollMs);
    connect(&m_primeWait, &QTimer::timeout, this, &AudioOutput::onPrimeWait);
    m_silentClock.setTimerType(Qt::PreciseTimer);
    m_silentClock.setInterval(kSilentClockIntervalMs);
    connect(&m_silentClock, &QTimer::timeout, this, &AudioOutput::onSilentTick);
}

AudioOutput::~AudioOutput()
{
    stop();
}

void AudioOutput::start(std::shared_ptr<PlaybackRun> run, const QAudioDevice &device)
{
    stop();
    m_run = std::move(run);
    m_target = device;
    m_device->attach(&m_run->graph, m_run->meter.get(), MixDevice::SampleFormat::Float32);
    m_primeElapsed.start();
    m_primeWait.start();
    onPrimeWait();
}

void AudioOutput::stop()
{
    m_primeWait.stop();
    closeOutput();
    m_device->detach();
    m_run.reset();  // may be the last reference: joins the reader here, never on the GUI thread
}

void AudioOutput::onPrimeWait()
{
    if (!m_run)
        return;
    if (!m_run->graph.primed.load(std::memory_order_acquire) && m_primeElapsed.elapsed() < kPrimeWaitMaxMs)
        return;
    m_primeWait.stop();
    openOutput();
}

void AudioOutput::openOutput()
{
    if (!m_target.isNull() && openSink())
        return;
    m_device->attach(&m_run->graph, m_run->meter.get(), MixDevice::SampleFormat::Float32);
    startSilentClock();
}

bool AudioOutput::openSink()
{
    const int rateHz = m_run->graph.sampleRateHz;
    QAudioFormat format;
    format.setSampleRate(rateHz);
    format.setChannelCount(kMixChannels);
    format.setChannelConfig(QAudioFormat::ChannelConfigStereo);
    format.setSampleFormat(QAudioFormat::Float);
    auto sampleFormat = MixDevice::SampleFormat::Float32;
    if (!m_target.isFormatSupported(format)) {
        format.setSampleFormat(QAudioFormat::Int16);
        sampleFormat = MixDevice::SampleFormat::Int16;
    }
    if (!m_target.isFormatSupported(format)) {
        Q_EMIT outputProblem(QStringLiteral("%1 does not play %2 Hz stereo; meters run on a silent clock")
                                 .arg(m_target.description())
                                 .arg(rateHz));
        return false;
    }
    m_device->attach(&m_run->graph, m_run->meter.get(), sampleFormat);
    // Created here, so it lives on (and Qt pulls m_device on) this thread.
    m_sink = new QAudioSink(m_target, format, this);
    // About 100 ms of device buffer: low enough for solo/mute to feel immediate.
    m_sink->setBufferSize(qsizetype(rateHz / 10) * m_device->bytesPerFrame());
    connect(m_sink, &QAudioSink::stateChanged, this, &AudioOutput::onSinkState);
    m_sink->start(m_device);
    Q_EMIT outputChanged(AudioOutputKind::Device, m_target.description());
    // A sink that failed to open reports OpenError from start(), possibly without a state change.
    if (m_sink->error() != QAudio::NoError)
        onSinkState();
    return true;
}

void AudioOutput::onSinkState()
{
    // Any sink error (it could not open, the device went away, a write failed) falls back to the silent clock and
    // playback goes on: the meters keep moving and the position keeps advancing.
    if (!m_sink || m_sink->error() == QAudio::NoError || m_sink->error() == QAudio::UnderrunError)
        return;
    const bool opened = m_sink->error() != QAudio::OpenError;
    Q_EMIT outputProblem(opened ? QStringLiteral("The audio output failed; meters run on a silent clock")
                                : QStringLiteral("The audio output could not be opened; meters run on a silent clock"));
    m_sink->disconnect(this);
    m_sink->deleteLater();
    m_sink = nullptr;
    startSilentClock();
}

void AudioOutput::startSilentClock()
{
    // Half a second of pull buffer in the device's format (it may be Int16 after a sink failed), allocated here
    // and never in the tick.
    const int rateHz = m_run->graph.sampleRateHz;
    m_silentBuffer.resize(qsizetype(rateHz / 2) * m_device->bytesPerFrame());
    m_silentFramesPulled = 0;
    m_silentElapsed.start();
    m_silentClock.start();
    Q_EMIT outputChanged(AudioOutputKind::SilentClock, QString());
}

void AudioOutput::onSilentTick()
{
    if (!m_run)
        return;
    const std::int64_t rateHz = m_run->graph.sampleRateHz;
    const std::int64_t due = m_silentElapsed.nsecsElapsed() * rateHz / 1000000000LL;
    const std::int64_t maxFrames = m_silentBuffer.size() / m_device->bytesPerFrame();
    const std::int64_t frames = std::min(due - m_silentFramesPulled, maxFrames);
    if (frames <= 0)
        return;
    m_device->read(m_silentBuffer.data(), frames * m_device->bytesPerFrame());
    m_silentFramesPulled += frames;
    if (due - m_silentFramesPulled > maxFrames)
        m_silentFramesPulled = due - maxFrames;  // after a stall, catch up no more than one buffer
}

void AudioOutput::closeOutput()
{
    m_silentClock.stop();
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        delete m_sink;
        m_sink = nullptr;
    }
}

}  // namespace stemship::gui
