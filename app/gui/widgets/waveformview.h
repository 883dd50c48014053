#pragma once

// A stem's waveform overview (the audit's min/max buckets) on a time ruler, with a playhead, an optional
// bar-one marker set by click or drag, and the bar grid that follows from it.

#include "audit/stemreport.h"

#include <QWidget>

class QPainter;

#include <optional>

namespace stemship::gui {

class WaveformView : public QWidget {
    Q_OBJECT

public:
    enum class ClickAction { Seek, SetBarOne };

    explicit WaveformView(QWidget *parent = nullptr);

    void setOverview(const audit::Overview &overview, double durationSeconds, const QColor &colour = {});
    void clear(const QString &placeholder);
    void setPlayhead(std::optional<double> seconds);
    void setBarOne(std::optional<double> seconds);  // shown (and editable with SetBarOne)
    void setBarGrid(double barSeconds);  // grid lines from bar one; 0: none
    void setClickAction(ClickAction action) { m_action = action; }
    std::optional<double> barOne() const { return m_barOneSeconds; }
    double durationSeconds() const { return m_durationSeconds; }

    double secondsAt(double x) const;
    double xAt(double seconds) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(double seconds);
    void barOneChanged(double seconds);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QRectF plotRect() const;
    void pointerAt(double x);
    void paintBarGrid(QPainter &painter, const QRectF &plot) const;
    void paintEnvelope(QPainter &painter, const QRectF &plot, const QColor &faint) const;
    void paintRuler(QPainter &painter, const QRectF &plot, const QColor &faint) const;
    void paintMarkers(QPainter &painter, const QRectF &plot) const;

    audit::Overview m_overview;
    double m_durationSeconds = 0.0;
    QColor m_colour;
    QString m_placeholder;
    std::optional<double> m_playheadSeconds;
    std::optional<double> m_barOneSeconds;
    double m_barSeconds = 0.0;
    ClickAction m_action = ClickAction::Seek;
};

// Loudness over time: momentary (thin) and short-term (bold) in LUFS, with the target and integrated lines.
class LoudnessView : public QWidget {
    Q_OBJECT

public:
    explicit LoudnessView(QWidget *parent = nullptr);
    void setCurve(const audit::LoudnessCurve &curve, double integratedLufs);
    void setTarget(std::optional<double> lufs);
    void clear(const QString &placeholder);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    audit::LoudnessCurve m_curve;
    double m_integratedLufs = -INFINITY;
    std::optional<double> m_targetLufs;
    QString m_placeholder;
};

QString formatTime(double seconds, bool millis = true);  // "1:23.456"

}  // namespace stemship::gui
