#pragma once

// The Listen page's meter bridge: L/R sample peak with hold, momentary and short-term loudness bars,
// numeric readouts (M, S, I, LRA, true-peak hold, correlation). Polls its source on a ~30 Hz QTimer.

#include "metering/loudnessmeter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QWidget>

#include <array>
#include <functional>

class QGridLayout;
class QLabel;
class QPushButton;

namespace stemship::gui {

class CorrelationMeter;
class LevelMeter;

// One poll's worth of what the audio path published.
struct MeterFrame {
    metering::LiveReadout live;
    std::array<float, 2> channelPeaks{0.0f, 0.0f};  // linear, since the previous poll
};

// Peak-programme ballistics for display: instant attack; IEC 60268-18 return of 20 dB in 1.7 s;
// the hold tick stays 1.5 s, then falls at the same rate.
struct PeakBallistics {
    double levelDb = -INFINITY;
    double holdDb = -INFINITY;
    double holdAgeSeconds = 0.0;
    void update(double peakDb, double elapsedSeconds);
};

class MeterBridge : public QWidget {
    Q_OBJECT

public:
    explicit MeterBridge(QWidget *parent = nullptr);

    void setSource(std::function<MeterFrame()> source, std::function<void()> resetHold);
    void setLoudnessTarget(double lufs);
    void start();  // polling; stops when hidden
    void stop();
    bool isPolling() const { return m_timer.isActive(); }
    void poll();   // one tick (tests call it directly)

    static constexpr int kPollIntervalMs = 33;  // ~30 Hz: display rate, never per audio block

    // The values the readouts show (tests read them).
    const MeterFrame &lastFrame() const { return m_last; }
    QString readoutText(const QString &key) const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QLabel *addReadout(QGridLayout *grid, int row, int column, const QString &key, const QString &title);

    std::function<MeterFrame()> m_source;
    std::function<void()> m_resetHold;
    QTimer m_timer;
    QElapsedTimer m_clock;
    MeterFrame m_last;
    std::array<PeakBallistics, 2> m_ballistics;
    std::array<LevelMeter *, 2> m_peakMeters{};
    LevelMeter *m_momentary = nullptr;
    LevelMeter *m_shortTerm = nullptr;
    CorrelationMeter *m_correlation = nullptr;
    QHash<QString, QLabel *> m_readouts;
    QPushButton *m_reset = nullptr;
};

QString formatDb(double db, int decimals = 1);  // "-12.3", "-inf"

}  // namespace stemship::gui
