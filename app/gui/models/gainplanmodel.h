#pragma once

// The Gain page's preview: per stem, in delivery order, the level the packager measures (at the delivery rate,
// placed on the timeline), the gain its planner chose and the peak it predicts, before anything is delivered.

#include "delivery/gainpreview.h"
#include "gain/gainplanner.h"

#include <QAbstractTableModel>

namespace stemship::gui {

class GainPlanModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Stem, Measured, Target, Gain, PredictedPeak, PredictedTruePeak, Note, ColumnCount };
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit GainPlanModel(QObject *parent = nullptr);

    // Shows core's plan (delivery::planGainPreview) on the stems it was planned for; nullptr empties the table.
    void setPlan(const delivery::GainPreviewMeasurements *measurements, const delivery::DeliveryGains &gains);
    const gain::GainPlan &gainPlan() const { return m_plan; }
    const gain::GainRequest &request() const { return m_request; }
    double gainDb(int row) const;
    QString source(int row) const;  // the stem as the user gave it (its displayPath)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        QString source;
        gain::StemLevels levels;
        std::optional<double> targetDb;
    };
    QList<Row> m_rows;
    gain::GainRequest m_request;
    gain::GainPlan m_plan;
};

}  // namespace stemship::gui
