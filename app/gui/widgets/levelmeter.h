#pragma once

// Vertical segmented bar meter on a dB scale with a peak-hold tick, and its scale; plus a correlation meter.

#include <QWidget>

#include <cmath>
#include <optional>

namespace stemship::gui {

// Shared geometry so a MeterScale lines up with the bars beside it.
struct MeterRange {
    double minDb = -60.0;
    double maxDb = 0.0;
    double cautionDb = -18.0;  // amber from here
    double dangerDb = -6.0;    // red from here
    static constexpr int kPadding = 7;
    double yFor(double db, int height) const;  // top is maxDb
};

class LevelMeter : public QWidget {
    Q_OBJECT

public:
    explicit LevelMeter(const QString &label, QWidget *parent = nullptr);

    void setRange(const MeterRange &range);
    const MeterRange &range() const { return m_range; }
    void setLevel(double db);                    // -inf allowed
    void setHold(double db);                     // -inf: no tick
    void setTarget(std::optional<double> db);    // a mark, e.g. the loudness target
    double level() const { return m_levelDb; }
    double hold() const { return m_holdDb; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_label;
    MeterRange m_range;
    double m_levelDb = -INFINITY;
    double m_holdDb = -INFINITY;
    std::optional<double> m_targetDb;
};

class MeterScale : public QWidget {
    Q_OBJECT

public:
    explicit MeterScale(QWidget *parent = nullptr);
    void setRange(const MeterRange &range);
    void setTicks(QList<double> ticks);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    MeterRange m_range;
    QList<double> m_ticks;
};

// Horizontal -1 .. +1 phase correlation meter (left of centre: out of phase).
class CorrelationMeter : public QWidget {
    Q_OBJECT

public:
    explicit CorrelationMeter(QWidget *parent = nullptr);
    void setCorrelation(double value);
    double correlation() const { return m_value; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_value = 0.0;
};

}  // namespace stemship::gui
