#include "widgets/meterbridge.h"

#include "theme.h"
#include "widgets/levelmeter.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace stemship::gui {

QString formatDb(double db, int decimals)
{
    if (!std::isfinite(db))
        return db < 0 ? QStringLiteral("-inf") : QStringLiteral("+inf");
    return QString::number(db, 'f', decimals);
}

void PeakBallistics::update(double peakDb, double elapsedSeconds)
{
    constexpr double kReturnDbPerSecond = 20.0 / 1.7;
    constexpr double kHoldSeconds = 1.5;
    const double fallen = std::isfinite(levelDb) ? levelDb - kReturnDbPerSecond * elapsedSeconds : -INFINITY;
    levelDb = std::max(peakDb, fallen);
    if (levelDb < -120.0)
        levelDb = -INFINITY;
    holdAgeSeconds += elapsedSeconds;
    if (peakDb >= holdDb || !std::isfinite(holdDb)) {
        holdDb = peakDb;
        holdAgeSeconds = 0.0;
    } else if (holdAgeSeconds > kHoldSeconds) {
        holdDb = std::max(levelDb, holdDb - kReturnDbPerSecond * elapsedSeconds);
    }
}

MeterBridge::MeterBridge(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Meter bridge"));
    m_timer.setInterval(kPollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MeterBridge::poll);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);

    // Two groups, each its unit over its scale and bars: sample peak in dBFS, loudness in LUFS.
    auto *bars = new QHBoxLayout;
    bars->setSpacing(18);
    const auto addGroup = [this, bars](const QString &unit, const MeterRange &range, LevelMeter *a, LevelMeter *b) {
        auto *group = new QVBoxLayout;
        group->setSpacing(4);
        auto *title = new QLabel(unit, this);
        title->setObjectName(QStringLiteral("sectionLabel"));
        title->setAlignment(Qt::AlignCenter);
        group->addWidget(title);
        auto *row = new QHBoxLayout;
        row->setSpacing(4);
        auto *scale = new MeterScale(this);
        scale->setRange(range);
        row->addWidget(scale);
        for (LevelMeter *meter : {a, b}) {
            meter->setRange(range);
            row->addWidget(meter);
        }
        group->addLayout(row, 1);
        bars->addLayout(group);
    };
    MeterRange peakRange;  // dBFS: amber from -18 (the gain-staging reference), red from -6
    MeterRange loudnessRange{-60.0, 0.0, -23.0, -14.0};  // LUFS: amber above the R128 target, red above -14
    m_peakMeters[0] = new LevelMeter(QStringLiteral("L"), this);
    m_peakMeters[1] = new LevelMeter(QStringLiteral("R"), this);
    m_momentary = new LevelMeter(QStringLiteral("M"), this);
    m_shortTerm = new LevelMeter(QStringLiteral("S"), this);
    m_momentary->setAccessibleName(QStringLiteral("Momentary loudness meter"));
    m_shortTerm->setAccessibleName(QStringLiteral("Short-term loudness meter"));
    addGroup(QStringLiteral("dBFS"), peakRange, m_peakMeters[0], m_peakMeters[1]);
    addGroup(QStringLiteral("LUFS"), loudnessRange, m_momentary, m_shortTerm);
    m_momentary->setTarget(-23.0);
    m_shortTerm->setTarget(-23.0);
    bars->addStretch();
    layout->addLayout(bars, 1);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(2);
    addReadout(grid, 0, 0, QStringLiteral("momentary"), QStringLiteral("Momentary"));
    addReadout(grid, 0, 1, QStringLiteral("shortTerm"), QStringLiteral("Short-term"));
    addReadout(grid, 2, 0, QStringLiteral("integrated"), QStringLiteral("Integrated"));
    addReadout(grid, 2, 1, QStringLiteral("lra"), QStringLiteral("Range"));
    addReadout(grid, 4, 0, QStringLiteral("truePeak"), QStringLiteral("True peak"));
    addReadout(grid, 4, 1, QStringLiteral("samplePeak"), QStringLiteral("Sample peak"));
    layout->addLayout(grid);

    auto *correlationTitle = new QLabel(QStringLiteral("Correlation"), this);
    correlationTitle->setObjectName(QStringLiteral("sectionLabel"));
    layout->addWidget(correlationTitle);
    m_correlation = new CorrelationMeter(this);
    layout->addWidget(m_correlation);
    auto *correlationValue = new QLabel(this);
    correlationValue->setFont(theme::monospaceFont());
    m_readouts.insert(QStringLiteral("correlation"), correlationValue);
    layout->addWidget(correlationValue);

    m_reset = new QPushButton(QStringLiteral("Reset peaks"), this);
    m_reset->setAccessibleName(QStringLiteral("Reset peak hold"));
    m_reset->setToolTip(QStringLiteral("Clear the held sample and true peaks"));
    connect(m_reset, &QPushButton::clicked, this, [this] {
        if (m_resetHold)
            m_resetHold();
        m_ballistics = {};
        poll();
    });
    layout->addWidget(m_reset);
    poll();
}

QLabel *MeterBridge::addReadout(QGridLayout *grid, int row, int column, const QString &key, const QString &title)
{
    auto *caption = new QLabel(title, this);
    caption->setObjectName(QStringLiteral("sectionLabel"));
    auto *value = new QLabel(this);
    value->setFont(theme::monospaceFont(3));
    value->setAccessibleName(title);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(caption, row, column);
    grid->addWidget(value, row + 1, column);
    m_readouts.insert(key, value);
    return value;
}

void MeterBridge::setSource(std::function<MeterFrame()> source, std::function<void()> resetHold)
{
    m_source = std::move(source);
    m_resetHold = std::move(resetHold);
}

void MeterBridge::setLoudnessTarget(double lufs)
{
    m_momentary->setTarget(lufs);
    m_shortTerm->setTarget(lufs);
}

void MeterBridge::start()
{
    m_clock.start();
    m_timer.start();
}

void MeterBridge::stop()
{
    m_timer.stop();
}

void MeterBridge::showEvent(QShowEvent *event)
{
    start();
    QWidget::showEvent(event);
}

void MeterBridge::hideEvent(QHideEvent *event)
{
    stop();
    QWidget::hideEvent(event);
}

QString MeterBridge::readoutText(const QString &key) const
{
    const QLabel *label = m_readouts.value(key);
    return label ? label->text() : QString();
}

void MeterBridge::poll()
{
    const double elapsed = m_clock.isValid() ? m_clock.restart() / 1000.0 : 0.0;
    if (m_source)
        m_last = m_source();
    const metering::LiveReadout &live = m_last.live;
    for (std::size_t c = 0; c < 2; ++c) {
        m_ballistics[c].update(metering::linearToDb(m_last.channelPeaks[c]), elapsed);
        m_peakMeters[c]->setLevel(m_ballistics[c].levelDb);
        m_peakMeters[c]->setHold(m_ballistics[c].holdDb);
    }
    m_momentary->setLevel(live.momentaryLufs);
    m_shortTerm->setLevel(live.shortTermLufs);
    const auto set = [this](const QString &key, const QString &text) {
        if (QLabel *label = m_readouts.value(key); label && label->text() != text)
            label->setText(text);
    };
    set(QStringLiteral("momentary"), formatDb(live.momentaryLufs) + QStringLiteral(" LUFS"));
    set(QStringLiteral("shortTerm"), formatDb(live.shortTermLufs) + QStringLiteral(" LUFS"));
    set(QStringLiteral("integrated"), formatDb(live.integratedLufs) + QStringLiteral(" LUFS"));
    set(QStringLiteral("lra"), formatDb(live.loudnessRangeLu) + QStringLiteral(" LU"));
    set(QStringLiteral("truePeak"), formatDb(live.truePeakHoldDbtp) + QStringLiteral(" dBTP"));
    set(QStringLiteral("samplePeak"), formatDb(live.samplePeakHoldDbfs) + QStringLiteral(" dBFS"));
    set(QStringLiteral("correlation"), QString::asprintf("%+.2f", double(live.correlation)));
    m_correlation->setCorrelation(live.correlation);
    // Colour the true-peak hold when it is over the usual -1 dBTP delivery ceiling.
    if (QLabel *tp = m_readouts.value(QStringLiteral("truePeak"))) {
        QPalette p = palette();
        if (live.truePeakHoldDbtp > -1.0f)
            p.setColor(QPalette::WindowText, theme::statusColour(theme::Status::Error, palette()));
        tp->setPalette(p);
    }
}

}  // namespace stemship::gui
